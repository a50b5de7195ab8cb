import { expect, test, type Browser, type Page } from "@playwright/test";

// The account area: a fixture user of its own (petra), so other files' sessions never show here.
async function signInToAccount(page: Page, login = "petra", password = "petra-password-123") {
  await page.goto("/account");
  await expect(page.getByRole("heading", { name: "Sign in to your account" })).toBeVisible();
  await page.getByLabel("Username or email").fill(login);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("account-username")).toHaveText(login);
}

async function newPage(browser: Browser, options: Parameters<Browser["newContext"]>[0] = {}) {
  const context = await browser.newContext(options);
  return { context, page: await context.newPage() };
}

test("sessions: see every session of mine, this device marked, and sign out another one, without JavaScript", async ({ browser }) => {
  const phoneUa =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
  const phone = await newPage(browser, { userAgent: phoneUa, viewport: { width: 390, height: 844 } });
  await signInToAccount(phone.page);
  const desk = await newPage(browser, { javaScriptEnabled: false });
  await signInToAccount(desk.page);

  const sessions = desk.page.getByTestId("session");
  await expect(sessions).toHaveCount(2);
  const current = sessions.filter({ hasText: "this device" });
  await expect(current).toHaveCount(1);
  await expect(current.getByRole("button", { name: "End session" })).toHaveCount(0);
  const other = sessions.filter({ hasText: "Safari on iOS" });
  await expect(other).toContainText("started");
  await desk.page.screenshot({ path: "test-results/account-sessions.png", fullPage: true });
  await other.getByRole("button", { name: "End session" }).click();
  await expect(desk.page.getByRole("status")).toHaveText("The session was signed out.");
  await expect(sessions).toHaveCount(1);

  // The phone's session is gone: its next visit asks to sign in again.
  await phone.page.goto("/account");
  await expect(phone.page.getByRole("heading", { name: "Sign in to your account" })).toBeVisible();

  // Sign out all others: a second phone session ends, this one stays.
  await signInToAccount(phone.page);
  await desk.page.goto("/account");
  await expect(sessions).toHaveCount(2);
  await desk.page.getByRole("button", { name: "End all other sessions" }).click();
  await expect(desk.page.getByRole("status")).toHaveText("Your other sessions were signed out.");
  await expect(sessions).toHaveCount(1);
  await phone.page.goto("/account");
  await expect(phone.page.getByRole("heading", { name: "Sign in to your account" })).toBeVisible();
  await phone.page.screenshot({ path: "test-results/account-mobile.png", fullPage: true });

  await phone.context.close();
  await desk.context.close();
});

test("connected apps: an app granted through the relying party is listed and revoked; its refresh token is then invalid_grant", async ({
  page,
}) => {
  const RP = "http://localhost:3311";
  const body = async () => JSON.parse((await page.locator("body").textContent()) ?? "{}");
  await page.goto(`${RP}/start/public`);
  await page.getByLabel("Username or email").fill("petra");
  await page.getByLabel("Password").fill("petra-password-123");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Public Test App wants access" })).toBeVisible();
  await page.getByRole("button", { name: "Allow" }).click();
  await expect(page).toHaveURL(/\/cb\/public/);
  expect(await body()).toMatchObject({ hasRefreshToken: true });

  await page.goto("/account");
  const app = page.getByTestId("app").filter({ hasText: "Public Test App" });
  await expect(app).toContainText("openid");
  await app.getByRole("button", { name: "Revoke access" }).click();
  await expect(page.getByRole("status")).toHaveText("The app's access was revoked.");
  await expect(page.getByTestId("app")).toHaveCount(0);

  await page.goto(`${RP}/refresh/public`);
  expect(await body()).toMatchObject({ error: "invalid_grant" });
});

test("linked logins: a user created by an external sign-in sees the link, and cannot unlink their only way to sign in", async ({
  page,
}) => {
  const RP = "http://localhost:3311";
  await page.goto(`${RP}/start/web`);
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("link", { name: "Sign in with Upstream SSO" })).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 10_000 });
  await page.getByRole("link", { name: "Sign in with Upstream SSO" }).click();
  await page.getByLabel("Account").fill("carol");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/cb\/web/);

  await page.goto("/account");
  const link = page.getByTestId("link").filter({ hasText: "Upstream SSO" });
  await expect(link).toContainText("carol@corp.test");
  await link.getByRole("button", { name: "Unlink" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "only way" })).toHaveText(
    "This is your only way to sign in: set a password or link another login first.",
  );
  await expect(page.getByTestId("link")).toHaveCount(1);
});
