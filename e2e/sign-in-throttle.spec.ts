import { expect, test, type Page } from "@playwright/test";

const RP = "http://localhost:3311";
const THROTTLED = "Too many sign-in attempts. Wait a few minutes, then try again.";

/** One submission, answered: the next one starts only once the server has counted this one. */
async function attempt(page: Page, login: string, password: string) {
  await page.getByLabel("Username or email").fill(login);
  await page.getByLabel("Password").fill(password);
  const answered = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/interaction/login");
  await page.getByRole("button", { name: "Sign in" }).click();
  await answered;
}

// Issue 8 item 4: after five failures for a name the sign-in page asks to wait, for a name no
// account has just as for a real one (the same counters and messages: tests/auth/login.test.ts).
test("the sign-in page asks to wait after five failures, for an unknown name too", async ({ page }) => {
  await page.goto(`${RP}/start/web`);
  for (let i = 0; i < 5; i++) {
    await attempt(page, "mallory-does-not-exist", `guess-${i}`);
    await expect(page.getByRole("alert").filter({ hasText: "Invalid username or password." })).toBeVisible();
  }
  await attempt(page, "mallory-does-not-exist", "guess-5");
  await expect(page.getByRole("alert").filter({ hasText: THROTTLED })).toBeVisible();
  await expect(page.getByLabel("Username or email")).toHaveValue("mallory-does-not-exist");
});
