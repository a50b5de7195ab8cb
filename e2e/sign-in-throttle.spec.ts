import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";

const RP = "http://localhost:3311";
const THROTTLED = "Too many sign-in attempts. Wait a few minutes, then try again.";

/**
 * One submission on a freshly loaded sign-in page, answered and shown. A fresh page each time: a
 * form typed into while the previous answer is still being rendered is replaced by that answer
 * (with an empty password), and the next attempt would go out without its password.
 */
async function attempt(page: Page, loginPage: string, login: string, password: string) {
  await page.goto(loginPage);
  await page.getByLabel("Username or email").fill(login);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.searchParams.has("error"));
}

// Issue 8 item 4: after five failures for a name the sign-in page asks to wait, for a name no
// account has just as for a real one (the same counters and messages: tests/auth/login.test.ts).
test("the sign-in page asks to wait after five failures, for an unknown name too", async ({ page }) => {
  // A name of its own per run: the counters live as long as the server, and a rerun starts at zero.
  const name = `mallory-${randomUUID().slice(0, 8)}`;
  await page.goto(`${RP}/start/web`);
  await page.waitForURL((url) => url.pathname === "/interaction/login");
  const loginPage = page.url();
  for (let i = 0; i < 5; i++) {
    await attempt(page, loginPage, name, `guess-${i}`);
    await expect(page.getByRole("alert").filter({ hasText: "Invalid username or password." })).toBeVisible();
  }
  await attempt(page, loginPage, name, "guess-5");
  await expect(page.getByRole("alert").filter({ hasText: THROTTLED })).toBeVisible();
  await expect(page.getByLabel("Username or email")).toHaveValue(name);
});

// Typing into the sign-in page before its scripts ran (a slow phone, a quick password manager):
// the form keeps what was typed when it becomes interactive, and sends it.
test("what a person types before the page is interactive is kept when it becomes interactive", async ({ page }) => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/_next\/static\/chunks\/.*\.js$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`${RP}/start/web`, { waitUntil: "domcontentloaded" });
  const name = `early-${randomUUID().slice(0, 8)}`;
  await page.getByLabel("Username or email").fill(name);
  await page.getByLabel("Password").fill("typed before hydration");
  release();
  // React marks the nodes it hydrated with its own properties.
  await expect
    .poll(() =>
      page
        .locator("form")
        .first()
        .evaluate((f) => Object.keys(f).some((k) => k.startsWith("__react"))),
    )
    .toBe(true);
  await expect(page.getByLabel("Username or email")).toHaveValue(name);
  await expect(page.getByLabel("Password")).toHaveValue("typed before hydration");
  await page.getByRole("button", { name: "Sign in" }).click();
  // A wrong password, not "enter your password": the typed one was sent.
  await expect(page.getByRole("alert").filter({ hasText: "Invalid username or password." })).toBeVisible();
});
