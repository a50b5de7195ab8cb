import { expect, test } from "@playwright/test";
import { noSeriousViolations, signInAs } from "./helpers";

const RP = "http://localhost:3311";

test("an admin issues a one-use initial access token, a client registers with it once, and the admin revokes it", async ({ page }) => {
  await page.goto("/admin/registration");
  await signInAs(page, "root", "root-password-123");
  await expect(page.getByRole("heading", { name: "Client registration" })).toBeVisible();
  await expect(page.getByText("Clients register at /connect/register with an initial access token issued here.")).toBeVisible();
  await noSeriousViolations(page);

  // A wrong number says so beside its field, and issues nothing.
  await page.getByLabel("Registrations allowed (optional)").fill("0");
  await page.getByRole("button", { name: "Issue token" }).click();
  await expect(page.locator("#iat-max-uses-error")).toHaveText("Use at least 1.");

  await page.getByLabel("Description").fill("e2e partner");
  await page.getByLabel("Registrations allowed (optional)").fill("1");
  await page.getByRole("button", { name: "Issue token" }).click();
  const secret = page.getByTestId("new-secret");
  await expect(secret).toHaveText(/^[A-Za-z0-9_-]{43}$/);
  await expect(page.getByText("Copy this initial access token now. It will not be shown again.")).toBeVisible();
  const token = (await secret.textContent())!;
  await noSeriousViolations(page);

  const register = () =>
    page.request.post("/connect/register", {
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      data: { client_name: "Partner app", redirect_uris: [`${RP}/cb/partner`], scope: "openid" },
    });
  const first = await register();
  expect(first.status()).toBe(201);
  const client = (await first.json()) as { client_id: string };
  expect((await register()).status()).toBe(401);

  await page.reload();
  const row = page.getByRole("row").filter({ hasText: "e2e partner" });
  await expect(row).toContainText("1 of 1");
  await expect(row).toContainText("used up");

  await page.goto(`/admin/clients/${client.client_id}`);
  await expect(page.getByRole("heading", { name: /Partner app/ })).toContainText("registered dynamically");

  await page.goto("/admin/registration");
  await page.getByRole("row").filter({ hasText: "e2e partner" }).getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("button", { name: "Yes, revoke" }).click();
  await expect(page.getByRole("row").filter({ hasText: "e2e partner" })).toContainText("revoked");
});
