import { expect, test } from "@playwright/test";
import { noSeriousViolations, signInAs } from "./helpers";

const RP = "http://localhost:3311";

test("a user without the admin role gets 403", async ({ page }) => {
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/account\?next=%2Fadmin/);
  await signInAs(page, "alice", "alice-password-123");
  await expect(page.getByRole("heading", { name: "Access denied" })).toBeVisible();
});

test("an admin registers a SPA in the console and a relying party signs in with it", async ({ page }) => {
  await page.goto("/admin");
  await signInAs(page, "root", "root-password-123");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await noSeriousViolations(page);

  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Clients" }).click();
  await expect(page.getByRole("heading", { name: "Clients" })).toBeVisible();
  await noSeriousViolations(page);
  await page.getByRole("link", { name: "New client" }).click();
  await noSeriousViolations(page);
  await page.getByRole("link", { name: /Single-page app/ }).click();

  // Field errors appear beside the field before anything is sent.
  await page.getByRole("button", { name: "Register client" }).click();
  await expect(page.locator("#client_name-error")).toBeVisible();
  await noSeriousViolations(page);

  await page.getByLabel("Client ID").fill("console-spa");
  await page.getByLabel("Name", { exact: true }).fill("Console SPA");
  await page.getByLabel(/^Redirect URIs/).fill(`${RP}/cb/console`);
  await page.getByLabel(/^Post-logout redirect URIs/).fill(`${RP}/signed-out`);
  await page.getByLabel(/Allowed scopes/).fill("openid profile");
  await page.getByRole("button", { name: "Register client" }).click();
  await expect(page.getByRole("heading", { name: /Console SPA/ })).toBeVisible();
  await noSeriousViolations(page);
  await page.screenshot({ path: "test-results/admin-client.png", fullPage: true });

  await page.goto(`${RP}/start/console`);
  await page.getByRole("button", { name: "Allow" }).click();
  await expect(page).toHaveURL(/\/cb\/console/);
  const result = JSON.parse((await page.locator("body").textContent()) ?? "{}");
  expect(result.claims.aud).toBe("console-spa");
  expect(result.userinfo.name).toBe("Root Admin");
});

test("the new-client form says beside each field what is wrong, in plain words", async ({ page }) => {
  await page.goto("/admin/clients/new?kind=spa");
  await signInAs(page, "root", "root-password-123");
  await expect(page.getByRole("heading", { name: "New client: Single-page app" })).toBeVisible();
  await page.getByLabel("Client ID").fill("plain-words-spa");
  await page.getByLabel(/^Redirect URIs/).fill(`${RP}/cb/plain#section`);
  await page.getByRole("button", { name: "Register client" }).click();

  await expect(page.locator("#client_name-error")).toHaveText("Enter a name.");
  await expect(page.getByLabel("Name", { exact: true })).toHaveAttribute("aria-describedby", "client_name-error");
  await expect(page.locator("#redirect_uris-error")).toHaveText("Redirect URIs must not contain a fragment (#...).");
  await expect(page.getByLabel(/^Redirect URIs/)).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("body")).not.toContainText(/Too small|expected string|Invalid input/);

  await page.getByLabel("Name", { exact: true }).fill("Plain words");
  await page.getByLabel(/^Redirect URIs/).fill("http://app.example.com/cb");
  await page.getByRole("button", { name: "Register client" }).click();
  await expect(page.locator("#client_name-error")).toHaveCount(0);
  await expect(page.locator("#redirect_uris-error")).toHaveText("Redirect URIs must use https (or http on a loopback address).");
  await noSeriousViolations(page);

  // Nothing was sent: the client does not exist.
  await page.goto("/admin/clients?search=plain-words");
  await expect(page.getByRole("link", { name: "plain-words-spa" })).toHaveCount(0);
});

test("the console refuses a FAPI 2.0 client whose settings contradict the profile", async ({ page }) => {
  await page.goto("/admin/clients/new?kind=web");
  await signInAs(page, "root", "root-password-123");
  await page.getByLabel("Client ID").fill("fapi-bank");
  await page.getByLabel("Name", { exact: true }).fill("Bank");
  await page.getByLabel(/^Redirect URIs/).fill("https://bank.example/cb");
  await page.getByLabel("Security profile").selectOption("fapi2");
  await page.getByRole("button", { name: "Register client" }).click();
  await expect(page.locator("#token_endpoint_auth_method-error")).toHaveText(
    "FAPI 2.0 needs a confidential client authenticating with private_key_jwt.",
  );
  await page.locator("#authorization_code_lifetime").fill("120");
  await page.getByRole("button", { name: "Register client" }).click();
  await expect(page.locator("#authorization_code_lifetime-error")).toHaveText("FAPI 2.0 allows authorization codes of at most 60 seconds.");
  await page.goto("/admin/clients?search=fapi-bank");
  await expect(page.getByRole("link", { name: "fapi-bank" })).toHaveCount(0);
});

test("a console form whose CSRF token went stale says so, and changes nothing", async ({ page, context }) => {
  // The browser's CSRF cookie changes under an open page (another tab signed in again, a cleared cookie).
  const staleCookie = () =>
    context.addCookies([{ name: "portcullis.csrf", value: `another-cookie-${Date.now()}`, url: new URL(page.url()).origin }]);
  await page.goto("/admin/clients/new?kind=machine");
  await signInAs(page, "root", "root-password-123");
  await expect(page.getByRole("heading", { name: "New client: Machine to machine" })).toBeVisible();
  await page.getByLabel("Client ID").fill("stale-form-job");
  await page.getByLabel("Name", { exact: true }).fill("Stale form job");
  await staleCookie();
  await page.getByRole("button", { name: "Register client" }).click();
  await expect(page.getByText("This form has expired. Reload the page and try again.")).toBeVisible();
  await page.goto("/admin/clients?search=stale-form");
  await expect(page.getByRole("link", { name: "stale-form-job" })).toHaveCount(0);

  // A command form (lock, revoke, rotate) says the same beside its button.
  await page.goto("/admin/keys");
  const keys = await page.getByRole("table", { name: "Signing keys" }).getByRole("row").count();
  await staleCookie();
  await page.getByRole("button", { name: "Rotate now" }).click();
  await page.getByRole("button", { name: "Yes, rotate now" }).click();
  await expect(page.getByText("This form has expired. Reload the page and try again.")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("table", { name: "Signing keys" }).getByRole("row")).toHaveCount(keys);
});

test("a generated secret is shown once and is gone after reload", async ({ page }) => {
  await page.goto("/admin");
  await signInAs(page, "root", "root-password-123");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await page.goto("/admin/clients/new?kind=machine");
  await page.getByLabel("Client ID").fill("console-daemon");
  await page.getByLabel("Name", { exact: true }).fill("Console daemon");
  await page.getByLabel(/Allowed scopes/).fill("demo.read");
  await page.getByRole("button", { name: "Register client" }).click();
  const secret = await page.getByTestId("new-secret").textContent();
  expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);

  const token = await page.request.post("/connect/token", {
    headers: { authorization: "Basic " + Buffer.from(`console-daemon:${secret}`).toString("base64") },
    form: { grant_type: "client_credentials" },
  });
  expect(token.status()).toBe(200);

  // The admin's browser session may call the API, with the CSRF header only.
  const withoutHeader = await page.request.post("/api/admin/v1/clients", { data: { client_id: "x", client_name: "X" } });
  expect(withoutHeader.status()).toBe(403);
  expect((await withoutHeader.json()).error.code).toBe("csrf_failed");
  const apiCsrf = await page.locator('meta[name="portcullis-api-csrf"]').getAttribute("content");
  const listed = await page.request.get("/api/admin/v1/clients?search=console-daemon");
  expect((await listed.json()).total).toBe(1);
  const renamed = await page.request.put("/api/admin/v1/clients/console-daemon", {
    headers: { "x-csrf-token": apiCsrf! },
    data: { client_name: "Console daemon", scope: "demo.read", portcullis: { kind: "machine" } },
  });
  expect(renamed.status()).toBe(200);

  await page.getByRole("button", { name: "I have copied the secret" }).click();
  await expect(page.getByRole("heading", { name: /Console daemon/ })).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("new-secret")).toHaveCount(0);
  await expect(page.getByRole("list", { name: "Secrets" }).getByRole("listitem")).toHaveCount(1);
  await expect(page.locator("body")).not.toContainText(secret!);

  await page.getByRole("button", { name: "Delete client" }).click();
  await page
    .getByRole("group", { name: /Delete console-daemon/ })
    .getByRole("button", { name: "Delete", exact: true })
    .click();
  await expect(page.getByRole("heading", { name: "Clients" })).toBeVisible();
  await expect(page.getByRole("link", { name: "console-daemon" })).toHaveCount(0);
});

test("an admin creates an API resource and a user; revoking the user's session signs them out at once", async ({ page, browser }) => {
  await page.goto("/admin");
  await signInAs(page, "root", "root-password-123");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();

  await page.goto("/admin/api-resources/new");
  await noSeriousViolations(page);
  await page.getByLabel(/^Name \(the audience/).fill("https://inventory.example");
  await page.getByLabel("Display name").fill("Inventory");
  await page.getByLabel(/^Scopes/).fill("inventory.read: Read the inventory");
  await page.getByRole("button", { name: "Create API resource" }).click();
  await expect(page.getByRole("cell", { name: "https://inventory.example" })).toBeVisible();
  await noSeriousViolations(page);
  await page.getByRole("link", { name: "https://inventory.example" }).click();
  await noSeriousViolations(page);
  await page.getByLabel("Display name").fill("Inventory API");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("heading", { name: "Inventory API" })).toBeVisible();

  await page.goto("/admin/clients/new?kind=machine");
  await page.getByLabel("Client ID").fill("inventory-job");
  await page.getByLabel("Name", { exact: true }).fill("Inventory job");
  await page.getByLabel(/Allowed scopes/).fill("inventory.read");
  await page.getByRole("button", { name: "Register client" }).click();
  const secret = await page.getByTestId("new-secret").textContent();
  const token = await page.request.post("/connect/token", {
    headers: { authorization: "Basic " + Buffer.from(`inventory-job:${secret}`).toString("base64") },
    form: { grant_type: "client_credentials", resource: "https://inventory.example" },
  });
  expect(await token.json()).toMatchObject({ scope: "inventory.read", token_type: "Bearer" });

  await page.goto("/admin/users/new");
  await noSeriousViolations(page);
  await page.getByLabel("Username", { exact: true }).fill("erin");
  await page.getByLabel("Email", { exact: true }).fill("erin@example.com");
  await page.getByLabel("Password", { exact: true }).fill("ember-harbor-21");
  await page.getByLabel("Full name").fill("Erin Example");
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByRole("heading", { name: "erin" })).toBeVisible();

  const erin = await browser.newContext();
  const erinPage = await erin.newPage();
  await erinPage.goto("/account");
  await signInAs(erinPage, "erin", "ember-harbor-21");
  await expect(erinPage.getByTestId("account-username")).toHaveText("erin");

  await page.getByLabel(/^New password/).fill("short");
  await page.getByRole("button", { name: "Set password" }).click();
  await expect(page.locator("#new-password-error")).toHaveText("Use at least 12 characters.");
  await page.getByLabel(/^Roles/).fill("auditor");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await page.reload();
  await expect(page.getByText("auditor").first()).toBeVisible();
  await expect(page.getByRole("table", { name: "Active sessions" }).getByRole("row")).toHaveCount(2);
  await noSeriousViolations(page);
  await page.getByRole("button", { name: "Revoke all sessions" }).click();
  await page.getByRole("button", { name: "Yes, revoke all sessions" }).click();
  await expect(page.getByRole("table", { name: "Active sessions" })).toContainText("Nothing here yet.");

  await erinPage.reload();
  await expect(erinPage.getByRole("heading", { name: "Sign in to your account" })).toBeVisible();
  await erin.close();

  for (const path of ["/admin/users", "/admin/sessions", "/admin/keys", "/admin/audit"]) {
    await page.goto(path);
    await noSeriousViolations(page);
  }
  await expect(page.getByRole("table", { name: "Audit events" })).toContainText("admin.sessions_revoked");
});
