import { expect, test, type Browser, type Page } from "@playwright/test";
import { noSeriousViolations, signInAs } from "./helpers";
import { UPSTREAM_CLIENT_SECRET, issuer, upstream } from "../playwright.config";

const RP = "http://localhost:3311";
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

async function screenshots(page: Page, name: string) {
  for (const [size, viewport] of [
    ["desktop", DESKTOP],
    ["phone", PHONE],
  ] as const) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: `test-results/idp-${name}-${size}.png`, fullPage: true });
  }
  await page.setViewportSize(DESKTOP);
}

/** Whether a new visitor's login page (a fresh authorization request) shows the button, once the server says so. */
async function loginButton(browser: Browser, name: string, shown: boolean) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${RP}/start/public`);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("link", { name: `Sign in with ${name}` })).toHaveCount(shown ? 1 : 0, { timeout: 500 });
  }).toPass({ timeout: 10_000 });
  await context.close();
}

test("an admin adds an OpenID provider, checks it, sees it on the login page, disables and deletes it", async ({ page, browser }) => {
  await page.setViewportSize(DESKTOP);
  await page.goto("/admin/identity-providers");
  await signInAs(page, "root", "root-password-123");
  await expect(page.getByRole("heading", { name: "Identity providers" })).toBeVisible();
  // The fixture's providers, with their type.
  await expect(page.getByRole("row", { name: /upstream Upstream SSO OpenID Connect enabled/ })).toBeVisible();
  await noSeriousViolations(page);
  await screenshots(page, "list");

  await page.getByRole("link", { name: "Add identity provider" }).click();
  await expect(page.getByRole("link", { name: /GitHub/ })).toBeVisible();
  await noSeriousViolations(page);
  await screenshots(page, "choose");

  await page.getByRole("link", { name: /GitHub/ }).click();
  await expect(page.getByRole("heading", { name: "Add GitHub" })).toBeVisible();
  await expect(page.getByLabel("ID (in the callback URL", { exact: false })).toHaveValue("github");
  await noSeriousViolations(page);
  await screenshots(page, "create-github");

  await page.getByRole("link", { name: "Choose another type" }).click();
  await page.getByRole("link", { name: /Any OpenID Connect provider/ }).click();
  await expect(page.getByRole("heading", { name: "Add Any OpenID Connect provider" })).toBeVisible();

  // A bad form: each problem in plain words, beside its field, before anything is sent.
  await page.getByLabel(/^ID/).fill("Partner SSO!");
  await page.getByLabel("Issuer URL").fill("ftp://sso.example");
  await page.getByRole("button", { name: "Add identity provider" }).click();
  await expect(page.locator("#id-error")).toHaveText("must be 1 to 63 lowercase letters, digits, - or _, starting with a letter or digit");
  await expect(page.locator("#issuer-error")).toHaveText(
    "must be an https URL (http only on localhost), without a fragment or credentials",
  );
  await expect(page.locator("#display_name-error")).toHaveText("must not be empty");
  await expect(page.locator("#client_id-error")).toBeVisible();
  await noSeriousViolations(page);
  await screenshots(page, "create-oidc-errors");

  await page.getByLabel(/^ID/).fill("partner");
  await page.getByLabel("Name on the login button").fill("Partner SSO");
  await page.getByLabel("Issuer URL").fill(upstream);
  await page.getByLabel("Client ID").fill("portcullis");
  await page.getByLabel("Client secret").fill(UPSTREAM_CLIENT_SECRET);
  await page.getByRole("button", { name: "Add a claim" }).click();
  await page.getByLabel("Claim here (row 1)").fill("nickname");
  await page.getByLabel("Claim at the provider (row 1)").fill("preferred_username");
  await page.getByRole("button", { name: "Add identity provider" }).click();

  await expect(page.getByRole("heading", { name: "Partner SSO" })).toBeVisible();
  await expect(page).toHaveURL(/\/admin\/identity-providers\/partner$/);
  await expect(page.getByLabel("Redirect URI to register at the provider")).toHaveValue(`${issuer}/interaction/external/callback/partner`);
  await expect(page.getByLabel("Claim at the provider (row 1)")).toHaveValue("preferred_username");
  await expect(page.getByText("A secret is set. Leave empty to keep the current secret")).toBeVisible();
  await noSeriousViolations(page);

  await page.getByRole("button", { name: "Check", exact: true }).click();
  const result = page.getByTestId("check-result");
  await expect(result.getByText("OK: nothing wrong found.")).toBeVisible();
  await expect(result).toContainText(`It names the issuer ${upstream} exactly.`);
  await expect(result).toContainText(/The key set at .* has \d+ keys?\./);
  await noSeriousViolations(page);
  await screenshots(page, "check");

  await loginButton(browser, "Partner SSO", true);

  await page.getByRole("button", { name: "Disable" }).click();
  await page.getByRole("button", { name: "Yes, disable" }).click();
  await expect(page.getByTestId("provider-status")).toHaveText("disabled (hidden from the login page)");
  await loginButton(browser, "Partner SSO", false);

  await page.getByRole("button", { name: "Delete identity provider" }).click();
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/identity-providers$/);
  await expect(page.getByRole("link", { name: "partner", exact: true })).toHaveCount(0);
});
