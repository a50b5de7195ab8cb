import { expect, test, type Browser, type Page } from "@playwright/test";
import { noSeriousViolations } from "./helpers";

const UPSTREAM = "http://localhost:3312";

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
  await desk.page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Sessions" }).click();
  await expect(desk.page).toHaveURL(/\/account\/sessions$/);

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
  await desk.page.goto("/account/sessions");
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

  await page.goto("/account/apps");
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

  await page.goto("/account/links");
  const link = page.getByTestId("link").filter({ hasText: "Upstream SSO" });
  await expect(link).toContainText("carol@corp.test");
  await link.getByRole("button", { name: "Unlink" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "only way" })).toHaveText(
    "This is your only way to sign in: set a password or link another login first.",
  );
  await expect(page.getByTestId("link")).toHaveCount(1);
});

test("linking a login: a password user links the upstream from /account, signs out, then signs in through the provider's button", async ({
  browser,
}) => {
  const RP = "http://localhost:3311";
  const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 800 } });
  await signInToAccount(page, "lena", "lena-password-123");
  await page.goto("/account/links");
  const links = page.getByRole("region", { name: "Linked logins" });
  await expect(links).toContainText("No external logins are linked to your account.");
  // every enabled provider, none disabled; the page may be served before the providers are cached
  await expect(async () => {
    await page.reload();
    await expect(links.getByRole("button", { name: "Link Upstream SSO" })).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 10_000 });
  await expect(links.getByRole("button", { name: "Link GitHub" })).toBeVisible();
  await expect(links.getByRole("button", { name: "Link Hidden IdP" })).toHaveCount(0);
  await expect(links).toContainText("You can link one login per provider");
  await links.screenshot({ path: "test-results/account-link-desktop.png" });
  const phone = await newPage(browser, { viewport: { width: 390, height: 844 } });
  await signInToAccount(phone.page, "lena", "lena-password-123");
  await phone.page.goto("/account/links");
  await phone.page.getByRole("region", { name: "Linked logins" }).screenshot({ path: "test-results/account-link-phone.png" });
  await phone.context.close();

  await links.getByRole("button", { name: "Link Upstream SSO" }).click();
  await expect(page).toHaveURL(/^http:\/\/localhost:3312\/login\//);
  await page.getByLabel("Account").fill("lena-up");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/account\/links\?notice=linked$/);
  await expect(page.getByRole("status").filter({ hasText: "linked" })).toHaveText("The login was linked: you can now sign in with it.");
  const row = page.getByTestId("link").filter({ hasText: "Upstream SSO" });
  await expect(row).toContainText("lena.elsewhere@upstream.test");
  await expect(links.getByRole("button", { name: "Link Upstream SSO" })).toHaveCount(0);
  await links.screenshot({ path: "test-results/account-link-linked.png" });
  // the link changed nothing else of the account
  await page.goto("/account");
  await expect(page.getByTestId("account-username")).toHaveText("lena");
  await expect(page.getByText("lena@example.com")).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signed-out/);

  await page.goto(`${RP}/start/web`);
  await page.getByRole("link", { name: "Sign in with Upstream SSO" }).click();
  // the upstream may remember its own session and skip its login page
  await expect(page).toHaveURL(/^http:\/\/localhost:3312\/login\/|\/cb\/web/);
  if (page.url().startsWith("http://localhost:3312/login/")) {
    await page.getByLabel("Account").fill("lena-up");
    await page.getByRole("button", { name: "Continue" }).click();
  }
  await expect(page).toHaveURL(/\/cb\/web/);
  const tokens = JSON.parse((await page.locator("body").textContent()) ?? "{}");
  expect(tokens.claims).toMatchObject({ amr: ["fed"], idp: "upstream" });
  // lena herself (her email, not the upstream's); a sign-in, unlike the link, maps the upstream's claims (name)
  expect(tokens.userinfo).toMatchObject({ email: "lena@example.com", name: "Lena Upstream" });
  await page.goto("/account");
  await expect(page.getByTestId("account-username")).toHaveText("lena");
  await context.close();
});

test("profile: edit my name without JavaScript; the relying party's userinfo shows it, other claims kept", async ({ browser }) => {
  const { context, page } = await newPage(browser, { javaScriptEnabled: false });
  await signInToAccount(page, "rita", "rita-password-123");
  await page.getByLabel("Picture (https address)").fill("http://example.com/me.png");
  await page.getByLabel("Language").fill("not a language!");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Some fields" })).toBeVisible();
  await expect(page.getByText("Enter an address starting with https://")).toBeVisible();
  await expect(page.getByText("Enter a language tag such as en or pt-BR.")).toBeVisible();
  await expect(page.getByLabel("Language")).toHaveValue("not a language!");

  await page.getByLabel("Full name").fill("Rita After");
  await page.getByLabel("First name").fill("Rita");
  await page.getByLabel("Picture (https address)").fill("https://example.com/rita.png");
  await page.getByLabel("Language").fill("pt-BR");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByRole("status").filter({ hasText: "saved" })).toHaveText("Your profile was saved.");
  await expect(page.getByLabel("Full name")).toHaveValue("Rita After");

  await page.goto("http://localhost:3311/start/web");
  await expect(page).toHaveURL(/\/cb\/web/);
  const tokens = JSON.parse((await page.locator("body").textContent()) ?? "{}");
  // Portcullis's ID tokens carry no profile claims; userinfo reads the user afresh.
  expect(tokens.userinfo).toMatchObject({
    name: "Rita After",
    given_name: "Rita",
    picture: "https://example.com/rita.png",
    locale: "pt-BR",
    nickname: "kept",
    email: "rita@example.com",
  });
  await context.close();
});

test("password: a wrong current password is refused plainly; a change ends my other sessions and the new one signs in", async ({
  browser,
}) => {
  const other = await newPage(browser);
  await signInToAccount(other.page, "paula", "paula-password-123");
  const { context, page } = await newPage(browser, { javaScriptEnabled: false });
  await signInToAccount(page, "paula", "paula-password-123");
  await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Security" }).click();
  await expect(page.getByRole("heading", { name: "Change your password" })).toBeVisible();
  await page.getByLabel("Current password").fill("not-the-password");
  await page.getByLabel("New password", { exact: true }).fill("quartz-lagoon-456");
  await page.getByLabel("Repeat the new password").fill("quartz-lagoon-456");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("That is not your current password.")).toBeVisible();
  await expect(page.getByTestId("event").filter({ hasText: "Failed sign-in" }).first()).toContainText("wrong password");

  await page.getByLabel("Current password").fill("paula-password-123");
  await page.getByLabel("New password", { exact: true }).fill("short");
  await page.getByLabel("Repeat the new password").fill("short");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("This password is too short: see the length below.").first()).toBeVisible();

  await page.getByLabel("Current password").fill("paula-password-123");
  await page.getByLabel("New password", { exact: true }).fill("quartz-lagoon-456");
  await page.getByLabel("Repeat the new password").fill("quartz-lagoon-456");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("status").filter({ hasText: "changed" })).toHaveText(
    "Your password was changed. Your other sessions were signed out.",
  );
  await expect(page.getByTestId("event").first()).toContainText("Password changed");
  await page.screenshot({ path: "test-results/account-security.png", fullPage: true });

  // The other browser is signed out; the new password signs in, the old one does not.
  await other.page.goto("/account");
  await expect(other.page.getByRole("heading", { name: "Sign in to your account" })).toBeVisible();
  await other.page.getByLabel("Username or email").fill("paula");
  await other.page.getByLabel("Password").fill("paula-password-123");
  await other.page.getByRole("button", { name: "Sign in" }).click();
  await expect(other.page.getByText("Invalid username or password.")).toBeVisible();
  await signInToAccount(other.page, "paula", "quartz-lagoon-456");
  await other.context.close();
  await context.close();
});

test("set a password: an external-only user confirms it is them through the upstream, sets one, then signs in with it", async ({
  page,
}) => {
  await page.goto("http://localhost:3311/start/web");
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("link", { name: "Sign in with Upstream SSO" })).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 10_000 });
  await page.getByRole("link", { name: "Sign in with Upstream SSO" }).click();
  await page.getByLabel("Account").fill("frank");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/cb\/web/);

  await page.goto("/account/security");
  await expect(page.getByRole("heading", { name: "Set a password" })).toBeVisible();
  const username = (await page.getByRole("banner").textContent()) ?? "";
  expect(username).toContain("Frank Corp");

  // Confirm through the upstream (the re-authentication page offers the linked provider only).
  await page.goto("/account/reauth?next=/account/security");
  await expect(page.getByRole("heading", { name: "Confirm it is you" })).toBeVisible();
  await expect(page.getByLabel("Password")).toHaveCount(0);
  await noSeriousViolations(page);
  await page.screenshot({ path: "test-results/account-reauth.png", fullPage: true });
  await page.getByRole("button", { name: "Continue with Upstream SSO" }).click();
  await expect(page).toHaveURL(new RegExp(`^${UPSTREAM}/login/|^http://localhost:3310/account/security\\?notice=reauthenticated$`));
  if (page.url().startsWith(`${UPSTREAM}/login/`)) {
    await page.getByLabel("Account").fill("frank");
    await page.getByRole("button", { name: "Continue" }).click();
  }
  await expect(page).toHaveURL("/account/security?notice=reauthenticated");
  await expect(page.getByTestId("event").first()).toContainText("Confirmed it was you");

  await page.getByLabel("New password", { exact: true }).fill("granite-willow-789");
  await page.getByLabel("Repeat the new password").fill("granite-willow-789");
  await page.getByRole("button", { name: "Set password" }).click();
  await expect(page.getByRole("status").filter({ hasText: "set" })).toHaveText(
    "Your password was set. Your other sessions were signed out.",
  );
  await expect(page.getByRole("heading", { name: "Change your password" })).toBeVisible();

  await page.goto("/account");
  const login = (await page.getByTestId("account-username").textContent())!;
  await page.getByRole("button", { name: "Sign out" }).click();
  await signInToAccount(page, login, "granite-willow-789");
});

test("every account page passes axe and is screenshotted at desktop and phone width; a fresh sign-in ends the other sessions at once", async ({
  browser,
}) => {
  const other = await newPage(browser);
  await signInToAccount(other.page, "axel", "axel-password-123");
  const { context, page } = await newPage(browser);
  await signInToAccount(page, "axel", "axel-password-123");
  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ]) {
    await page.setViewportSize(viewport);
    for (const [path, name] of [
      ["/account", "profile"],
      ["/account/security", "security"],
      ["/account/sessions", "sessions"],
      ["/account/apps", "apps"],
      ["/account/links", "links"],
      ["/account/reauth?next=/account/sessions", "reauth"],
    ] as const) {
      await page.goto(path);
      await noSeriousViolations(page);
      await page.screenshot({ path: `test-results/account-${name}-${viewport.width}.png`, fullPage: true });
    }
  }
  await page.goto("/account/sessions");
  await page.getByRole("button", { name: "End all other sessions" }).click();
  await expect(page.getByRole("status")).toHaveText("Your other sessions were signed out.");
  await other.page.goto("/account");
  await expect(other.page.getByRole("heading", { name: "Sign in to your account" })).toBeVisible();
  await context.close();
  await other.context.close();
});
