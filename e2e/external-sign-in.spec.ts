import { expect, test, type Page } from "@playwright/test";

const RP = "http://localhost:3311";
const UPSTREAM = "http://localhost:3312";
const LINK_NOTICE = "An account with this email exists: enter its password to link it.";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the relying party echoes JSON of many shapes
async function json(page: Page): Promise<Record<string, any>> {
  return JSON.parse((await page.locator("body").textContent()) ?? "{}");
}

/** The login page of a new authorization request, once the server lists the providers. */
async function loginPage(page: Page, client: "public" | "web") {
  await page.goto(`${RP}/start/${client}`);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("link", { name: "Sign in with Upstream SSO" })).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 10_000 });
}

async function upstreamLogin(page: Page, account: string) {
  await expect(page).toHaveURL(new RegExp(`^${UPSTREAM}/login/`));
  await page.getByLabel("Account").fill(account);
  await page.getByRole("button", { name: "Continue" }).click();
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the provider's button signs a new user in: upstream login, back, account created, consent, tokens", async ({ page }) => {
    await loginPage(page, "public");
    await expect(page.getByRole("link", { name: "Sign in with GitHub" }).locator("svg")).toBeVisible();
    await expect(page.getByRole("link", { name: "Sign in with Hidden IdP" })).toHaveCount(0);
    await expect(page.getByLabel("Password")).toBeVisible();

    await page.getByRole("link", { name: "Sign in with Upstream SSO" }).click();
    await upstreamLogin(page, "eve");

    await expect(page.getByRole("heading", { name: "Public Test App wants access" })).toBeVisible();
    await page.getByRole("button", { name: "Allow" }).click();
    await expect(page).toHaveURL(/\/cb\/public/);
    const tokens = await json(page);
    expect(tokens.claims).toMatchObject({ iss: "http://localhost:3310", aud: "rp-public", amr: ["fed"], idp: "upstream" });
    expect(tokens.userinfo).toMatchObject({ sub: tokens.claims.sub, name: "Eve Upstream", email: "eve@upstream.test" });
  });

  test("a cancel at the upstream comes back to the login page with a plain message", async ({ page }) => {
    await loginPage(page, "web");
    await page.getByRole("link", { name: "Sign in with Upstream SSO" }).click();
    await expect(page).toHaveURL(new RegExp(`^${UPSTREAM}/login/`));
    await page.getByRole("link", { name: "Cancel" }).click();
    await expect(page).toHaveURL(/\/interaction\/login\?.*external_error=cancelled/);
    await expect(page.getByRole("alert")).toHaveText("The sign-in at the identity provider was cancelled.");
    await expect(page.getByRole("link", { name: "Sign in with Upstream SSO" })).toBeVisible();
  });
});

test("home realm discovery: an email of the provider's domain goes to the provider, no password asked", async ({ page }) => {
  await loginPage(page, "web");
  await page.getByLabel("Username or email").fill("carol@corp.test");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await upstreamLogin(page, "carol");
  await expect(page).toHaveURL(/\/cb\/web/);
  expect((await json(page)).userinfo).toMatchObject({ name: "Carol Corp", email: "carol@corp.test" });
});

test("an authorization request can name the provider (acr_values idp:<id>) and skip the login page", async ({ page }) => {
  await loginPage(page, "web"); // the server lists the providers by now
  await page.goto(`${RP}/start/web?${new URLSearchParams({ acr_values: "idp:upstream" })}`);
  await upstreamLogin(page, "carol");
  await expect(page).toHaveURL(/\/cb\/web/);
  expect((await json(page)).claims).toMatchObject({ idp: "upstream", amr: ["fed"] });
  // a provider that does not exist or is disabled leaves the choice to the user
  await page.goto(`${RP}/start/web?${new URLSearchParams({ acr_values: "idp:hidden", prompt: "login" })}`);
  await expect(page.getByRole("link", { name: "Sign in with Upstream SSO" })).toBeVisible();
});

test("an existing account with the same email is linked after its password, then signs in through the provider alone", async ({
  page,
  browser,
}) => {
  await loginPage(page, "web");
  await page.getByRole("link", { name: "Sign in with Upstream SSO" }).click();
  await upstreamLogin(page, "dora");

  await expect(page.getByRole("status")).toHaveText(LINK_NOTICE);
  await expect(page.getByLabel("Username or email")).toHaveValue("dora@example.com");
  await expect(page.getByLabel("Username or email")).not.toBeEditable();
  await expect(page.getByRole("link", { name: "Sign in with Upstream SSO" })).toHaveCount(0);
  await page.getByLabel("Password").fill("not-her-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Invalid username or password." })).toBeVisible();
  await expect(page.getByRole("status")).toHaveText(LINK_NOTICE);
  await expect(page.getByLabel("Username or email")).toHaveValue("dora@example.com");
  await page.getByLabel("Password").fill("dora-password-123");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/cb\/web/);
  const linked = await json(page);
  expect(linked.userinfo).toMatchObject({ email: "dora@example.com" });

  // A new browser: the link is known, no password asked.
  const other = await browser.newPage();
  await loginPage(other, "web");
  await other.getByRole("link", { name: "Sign in with Upstream SSO" }).click();
  await upstreamLogin(other, "dora");
  await expect(other).toHaveURL(/\/cb\/web/);
  expect((await json(other)).claims.sub).toBe(linked.claims.sub);
  await other.close();
});

test("a provider with trust_email links a verified upstream email to the local account silently: no password, the same user", async ({
  page,
}) => {
  await loginPage(page, "web");
  await page.getByRole("link", { name: "Sign in with Trusted SSO" }).click();
  await upstreamLogin(page, "tess-up");
  await expect(page).toHaveURL(/\/cb\/web/);
  const tokens = await json(page);
  expect(tokens.claims).toMatchObject({ idp: "trusted", amr: ["fed"] });
  // tess herself: her username, not a new account named after the upstream one
  expect(tokens.userinfo).toMatchObject({ email: "tess@example.com", preferred_username: "tess" });
  await page.goto("/account/links");
  await expect(page.getByTestId("link").filter({ hasText: "Trusted SSO" })).toContainText("tess@example.com");
});

test("a callback with a state this browser never sent comes back to the login page with a plain message", async ({ page }) => {
  await loginPage(page, "web");
  const login = page.url();
  await page.getByRole("link", { name: "Sign in with Upstream SSO" }).click();
  await expect(page).toHaveURL(new RegExp(`^${UPSTREAM}/login/`));
  // Instead of signing in upstream: a callback made up by someone else, with a code and state of theirs.
  await page.goto(
    `/interaction/external/callback/upstream?${new URLSearchParams({ code: "forged-code", state: "forged-state", iss: UPSTREAM })}`,
  );
  await expect(page).toHaveURL(/\/interaction\/login\?.*external_error=bad_state/);
  await expect(page.getByRole("alert").filter({ hasText: "could not be matched" })).toHaveText(
    "This sign-in could not be matched to this browser, or it has expired. Start again.",
  );
  expect(new URL(page.url()).searchParams.get("interaction")).toBe(new URL(login).searchParams.get("interaction"));
});
