import { expect, test, type Page } from "@playwright/test";

const RP = "http://localhost:3311";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the relying party echoes JSON of many shapes
async function json(page: Page): Promise<Record<string, any>> {
  return JSON.parse((await page.locator("body").textContent()) ?? "{}");
}

async function signIn(page: Page, password = "alice-password-123") {
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await page.getByLabel("Username or email").fill("alice");
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("sign in with consent, SSO to a second client, prompt=none, refresh and logout", async ({ page }) => {
  // prompt=none without a session comes back with login_required and iss.
  await page.goto(`${RP}/start/public?prompt=none`);
  expect(await json(page)).toMatchObject({ error: "login_required", iss: "http://localhost:3310" });

  await page.goto(`${RP}/start/public`);
  await expect(page.getByText("to continue to Public Test App")).toBeVisible();
  await page.screenshot({ path: "test-results/login.png", fullPage: true });
  await signIn(page);

  await expect(page.getByRole("heading", { name: "Public Test App wants access" })).toBeVisible();
  await expect(page.getByLabel(/Your user identifier/)).toBeDisabled();
  await page.setViewportSize({ width: 390, height: 800 });
  await page.screenshot({ path: "test-results/consent-phone.png", fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.getByLabel(/Your email address/).uncheck();
  await page.getByRole("button", { name: "Allow" }).click();

  await expect(page).toHaveURL(/\/cb\/public/);
  const first = await json(page);
  expect(first.claims).toMatchObject({ iss: "http://localhost:3310", aud: "rp-public", amr: ["pwd"] });
  expect(first.claims.auth_time).toBeGreaterThan(0);
  expect(first.claims.sid).toBeTruthy();
  expect(first.scope.split(" ")).not.toContain("email");
  expect(first.userinfo).toMatchObject({ sub: first.claims.sub, name: "Alice Example", given_name: "Alice" });
  expect(first.userinfo.email).toBeUndefined();
  expect(first.hasRefreshToken).toBe(true);

  // The remembered consent does not cover the declined email scope: prompt=none must ask again.
  await page.goto(`${RP}/start/public?prompt=none`);
  expect(await json(page)).toMatchObject({ error: "consent_required", iss: "http://localhost:3310" });

  // SSO: the second client needs no password and (first party) no consent.
  await page.goto(`${RP}/start/web`);
  await expect(page).toHaveURL(/\/cb\/web/);
  const second = await json(page);
  expect(second.claims.sub).toBe(first.claims.sub);
  expect(second.claims.sid).toBe(first.claims.sid);
  expect(second.userinfo.email).toBe("alice@example.com");

  // prompt=none with a session and nothing to consent to: straight back with a code.
  await page.goto(`${RP}/start/web?prompt=none`);
  expect((await json(page)).claims.sub).toBe(first.claims.sub);

  await page.goto(`${RP}/refresh/public`);
  expect(await json(page)).toMatchObject({ refreshed: true, rotated: true, userinfo: { sub: first.claims.sub } });

  // Logout with id_token_hint: no confirmation, back to the registered URI with state.
  await page.goto(`${RP}/logout/web`);
  await expect(page).toHaveURL(`${RP}/signed-out?state=bye`);
  await page.goto(`${RP}/start/public?prompt=none`);
  expect(await json(page)).toMatchObject({ error: "login_required" });
});

test("wrong password shows one message; form_post and max_age=0 force a fresh sign-in", async ({ page }) => {
  await page.goto(`${RP}/start/web`);
  await signIn(page, "wrong-password");
  await expect(page.getByRole("alert").filter({ hasText: "Invalid username or password." })).toBeVisible();
  await signIn(page);
  await expect(page).toHaveURL(/\/cb\/web/);
  const before = (await json(page)).claims.auth_time as number;

  await page.waitForTimeout(1100);
  await page.goto(`${RP}/start/web?max_age=0&response_mode=form_post`);
  await signIn(page);
  await expect(page).toHaveURL(/\/cb\/web/);
  expect((await json(page)).claims.auth_time as number).toBeGreaterThan(before);
});

test("an unknown redirect URI shows the error page and never redirects", async ({ page }) => {
  await page.goto(
    `/connect/authorize?client_id=rp-web&response_type=code&scope=openid&redirect_uri=${encodeURIComponent("https://evil.example/cb")}`,
  );
  await expect(page).toHaveURL(/\/interaction\/error/);
  await expect(page.getByTestId("error-text")).toHaveText("The application sent a sign-in request that is not valid.");
  await expect(page.getByTestId("error-description")).toHaveText(
    "Details for the application's developers: redirect_uri did not match any of the client's registered redirect_uris",
  );
});

test("the error page never shows a description put in its URL by someone else", async ({ page }) => {
  const forged = "Your account is suspended. Call +1 555 0100.";
  await page.goto(`/interaction/error?${new URLSearchParams({ error: "access_denied", error_description: forged, sig: "forged" })}`);
  await expect(page.getByTestId("error-text")).toHaveText("Access was denied.");
  await expect(page.getByText(forged)).toHaveCount(0);
  await page.goto(`/interaction/error?${new URLSearchParams({ error: "Your account is suspended", error_description: forged })}`);
  await expect(page.getByTestId("error-text")).toHaveText("The request could not be processed.");
  expect(await page.locator("main").innerText()).not.toContain("suspended");
});

test("logout without a hint asks for confirmation", async ({ page }) => {
  await page.goto(`${RP}/start/web`);
  await signIn(page);
  await expect(page).toHaveURL(/\/cb\/web/);
  await page.goto(`/connect/endsession?client_id=rp-web&post_logout_redirect_uri=${encodeURIComponent(`${RP}/signed-out`)}&state=s1`);
  await expect(page.getByRole("heading", { name: "Sign out?" })).toBeVisible();
  await page.getByRole("button", { name: "Yes, sign me out" }).click();
  await expect(page).toHaveURL(`${RP}/signed-out?state=s1`);
});

test("the account page signs in directly and signs out", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: "Your account" }).click();
  await signIn(page);
  await expect(page.getByTestId("account-username")).toHaveText("alice");
  await page.screenshot({ path: "test-results/account.png", fullPage: true });
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "You are signed out" })).toBeVisible();
});

test("the sign-in form works without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${RP}/start/web`);
  await page.getByLabel("Username or email").fill("alice");
  await page.getByLabel("Password").fill("alice-password-123");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/cb\/web/);
  expect((await json(page)).userinfo.name).toBe("Alice Example");
  await context.close();
});
