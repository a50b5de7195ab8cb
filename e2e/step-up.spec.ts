import { expect, test, type Page } from "@playwright/test";
import * as OTPAuth from "otpauth";
import { signInAs } from "./helpers";

const RP = "http://localhost:3311";
// A fixture user of this file only: she has no second factor until this test gives her one.
const USER = "stella";
const PASSWORD = "climb-higher-4711-steps";
const MFA = "urn:portcullis:acr:mfa";
const SFA = "urn:portcullis:acr:sfa";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the relying party echoes JSON
async function json(page: Page): Promise<Record<string, any>> {
  return JSON.parse((await page.locator("body").textContent()) ?? "{}");
}

/** A code for a time step later than the last one used (the server refuses a step twice). */
function authenticator(secret: string) {
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: 30 });
  let last = -1;
  return async (page: Page): Promise<string> => {
    for (;;) {
      const step = Math.floor(Date.now() / 30_000);
      const use = Math.max(step, last + 1);
      if (use <= step + 1) {
        last = use;
        return totp.generate({ timestamp: use * 30_000 });
      }
      await page.waitForTimeout(1_000);
    }
  };
}

test("step-up: acr_values asks for a second factor, a user without one is led to enrol, acr and amr say what happened", async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();

  // A password sign-in is single-factor.
  await page.goto(`${RP}/start/web`);
  await signInAs(page, USER, PASSWORD);
  await expect(page).toHaveURL(/\/cb\/web/);
  expect((await json(page)).claims).toMatchObject({ acr: SFA, amr: ["pwd"] });

  // prompt=none cannot step up.
  await page.goto(`${RP}/start/web?${new URLSearchParams({ acr_values: MFA, prompt: "none" })}`);
  await expect(page.locator("body")).toContainText("login_required");

  // acr_values naming mfa: the session has no second factor and the user has none: enrol.
  await page.goto(`${RP}/start/web?${new URLSearchParams({ acr_values: MFA })}`);
  await expect(page.getByRole("heading", { name: "Set up two-step verification" })).toBeVisible();
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  const secret = (await page.getByTestId("totp-secret").textContent())!.trim();
  const code = authenticator(secret);
  await page.getByLabel("Code from the app").fill(await code(page));
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem")).toHaveCount(10);
  await page.getByRole("link", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/cb\/web/);
  const stepped = (await json(page)).claims;
  expect(stepped.acr).toBe(MFA);
  expect(stepped.amr).toEqual(expect.arrayContaining(["pwd", "otp", "mfa"]));

  // The session now holds the factor: a client that requires one signs in without a page.
  await page.goto(`${RP}/start/bank`);
  await expect(page).toHaveURL(/\/cb\/bank/);
  expect((await json(page)).claims.acr).toBe(MFA);
  await context.close();

  // A new browser: the password, then the code, for the client that requires a second factor.
  const fresh = await browser.newContext();
  const next = await fresh.newPage();
  await next.goto(`${RP}/start/bank`);
  await signInAs(next, USER, PASSWORD);
  await expect(next.getByRole("heading", { name: "Two-step verification" })).toBeVisible();
  await next.getByLabel("Code", { exact: true }).fill(await code(next));
  await next.getByRole("button", { name: "Verify" }).click();
  await expect(next).toHaveURL(/\/cb\/bank/);
  expect((await json(next)).claims).toMatchObject({ acr: MFA });
  await fresh.close();
});
