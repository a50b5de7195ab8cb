import { expect, test, type Browser, type Page } from "@playwright/test";
import { authenticator, json, signInAs } from "./helpers";

const RP = "http://localhost:3311";
// A fixture user of this file only (otto), so other files never meet a second factor.
const USER = "otto";
const PASSWORD = "otto-password-123";

async function newPage(browser: Browser) {
  const context = await browser.newContext();
  return { context, page: await context.newPage() };
}

async function passwordAtRp(page: Page) {
  await page.goto(`${RP}/start/web`);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await signInAs(page, USER, PASSWORD);
  await expect(page.getByRole("heading", { name: "Two-step verification" })).toBeVisible();
}

test("two-step verification: enrol, sign in with a code and a recovery code, replay refused, admin reset", async ({ browser }) => {
  // Enrol in the account area.
  const account = await newPage(browser);
  await account.page.goto("/account/security");
  await signInAs(account.page, USER, PASSWORD);
  await expect(account.page.getByRole("heading", { name: "Two-step verification" })).toBeVisible();
  await account.page.getByRole("button", { name: "Set up authenticator app" }).click();
  const secret = (await account.page.getByTestId("totp-secret").textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  await expect(account.page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  const app = authenticator(secret);
  await account.page.getByLabel("Code from the app").fill(await app.fresh(account.page));
  await account.page.getByRole("button", { name: "Confirm" }).click();
  // allTextContents does not wait: wait for the list the confirmation renders, then read it.
  await expect(account.page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem")).toHaveCount(10);
  const codes = (await account.page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem").allTextContents()).map((c) =>
    c.trim(),
  );
  expect(codes).toHaveLength(10);
  await account.page.getByRole("link", { name: "Done" }).click();
  await expect(account.page.getByTestId("codes-left")).toHaveText("10");
  await account.context.close();

  // Password, then the code, then back at the relying party with otp and mfa in the ID token.
  const first = await newPage(browser);
  await passwordAtRp(first.page);
  const code = await app.fresh(first.page);
  await first.page.getByLabel("Code", { exact: true }).fill(code);
  await first.page.getByRole("button", { name: "Verify" }).click();
  await expect(first.page).toHaveURL(/\/cb\/web/);
  const signedIn = await json(first.page);
  expect(signedIn.claims.amr).toEqual(expect.arrayContaining(["pwd", "otp", "mfa"]));
  await first.context.close();

  // The same code again (same step) is refused; a recovery code works instead.
  const second = await newPage(browser);
  await passwordAtRp(second.page);
  await second.page.getByLabel("Code", { exact: true }).fill(code);
  await second.page.getByRole("button", { name: "Verify" }).click();
  await expect(second.page.getByRole("alert").filter({ hasText: "That code is not right" })).toBeVisible();
  await second.page.getByRole("link", { name: "Use a recovery code" }).click();
  await second.page.getByLabel("Recovery code").fill(codes[0]!);
  await second.page.getByRole("button", { name: "Verify" }).click();
  await expect(second.page).toHaveURL(/\/cb\/web/);
  expect((await json(second.page)).claims.amr).toEqual(expect.arrayContaining(["pwd", "otp", "mfa"]));
  await second.context.close();

  // An administrator resets the factors in the console.
  const admin = await newPage(browser);
  await admin.page.goto(`/admin/users/${USER}`);
  await signInAs(admin.page, "root", "root-password-123");
  const panel = admin.page.getByRole("region", { name: "Sign-in factors" });
  await expect(admin.page.getByTestId("factor-totp")).toContainText("yes");
  await expect(admin.page.getByTestId("factor-recovery")).toHaveText("9");
  await panel.getByRole("button", { name: "Reset factors" }).click();
  await panel.getByRole("button", { name: "Yes, reset factors" }).click();
  await expect(admin.page.getByTestId("factor-totp")).toHaveText("no");
  await admin.context.close();

  // Password alone again.
  const third = await newPage(browser);
  await third.page.goto(`${RP}/start/web`);
  await signInAs(third.page, USER, PASSWORD);
  await expect(third.page).toHaveURL(/\/cb\/web/);
  expect((await json(third.page)).claims.amr).toEqual(["pwd"]);
  await third.context.close();
});
