import { expect, test } from "@playwright/test";

test("the home page says what the portal is and links to discovery", async ({ page, baseURL }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  expect(response?.headers()["x-frame-options"]).toBe("DENY");
  expect(response?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  await expect(page.getByRole("heading", { level: 1, name: "Identity provider" })).toBeVisible();
  await expect(page.getByTestId("issuer")).toHaveText(baseURL!);
  await expect(page.getByRole("region", { name: "For developers" })).toContainText("client_credentials");
  await expect(page.getByRole("region", { name: "For developers" })).toContainText("demo.read");

  await page.getByRole("link", { name: `${baseURL}/.well-known/openid-configuration` }).click();
  await expect(page).toHaveURL(`${baseURL}/.well-known/openid-configuration`);
  const metadata = JSON.parse((await page.locator("body").textContent()) ?? "{}") as { issuer: string };
  expect(metadata.issuer).toBe(baseURL);
});

test("the home page fits a phone screen", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto("/");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: "test-results/home-phone.png", fullPage: true });
});
