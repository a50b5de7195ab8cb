/** What several browser specs share: the sign-in form, the accessibility check, the relying party's answers, an authenticator app. */
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import * as OTPAuth from "otpauth";

/** Fills and sends the sign-in form the page shows. */
export async function signInAs(page: Page, username: string, password: string) {
  await page.getByLabel("Username or email").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** axe finds nothing serious or critical on the page. */
export async function noSeriousViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

/** The relying party's JSON answer on the page (e2e/rp/server.mjs). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the relying party echoes JSON
export async function json(page: Page): Promise<Record<string, any>> {
  return JSON.parse((await page.locator("body").textContent()) ?? "{}");
}

/**
 * Codes of the authenticator app a test plays. The server accepts a code only for a time step
 * later than the last one accepted, so each code is taken from a later step than the one before:
 * the current step or the next (the server's window allows one step ahead), else it waits.
 */
export function authenticator(secret: string) {
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: 30 });
  let last = -1;
  return {
    async fresh(page: Page): Promise<string> {
      for (;;) {
        const step = Math.floor(Date.now() / 30_000);
        const use = Math.max(step, last + 1);
        if (use <= step + 1) {
          last = use;
          return totp.generate({ timestamp: use * 30_000 });
        }
        await page.waitForTimeout(1_000);
      }
    },
  };
}
