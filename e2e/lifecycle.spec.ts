/**
 * The account lifecycle end to end, with a real SMTP server on loopback (e2e/smtp.ts): an admin
 * opens sign-up in the console; a person signs up from a relying party's sign-in, cannot sign in
 * before confirming, confirms by mail and lands back at the relying party; forgot password ends
 * the other session and the new password works; used links and enumeration attempts tell nothing.
 */
import { expect, test, type Page } from "@playwright/test";
import { signInAs } from "./helpers";
import { startSmtp, type Inbox } from "./smtp";

const RP = "http://localhost:3311";
const ISSUER = "http://localhost:3310";
const PASSWORD = "violet harbor lantern 26";
const NEW_PASSWORD = "amber meadow compass 91";
const CHECK_MAIL = "If the address can be used, we sent it a message.";
const RESET_SENT = "If an account with a confirmed email matches what you entered, we sent it a link";

let inbox: Inbox;
test.beforeAll(async () => {
  inbox = await startSmtp();
});
test.afterAll(async () => {
  await inbox?.close();
});
test.describe.configure({ mode: "serial" });

async function fillSignUp(page: Page, username: string, email: string) {
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Full name").fill("Sally Signup");
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Repeat the password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
}

test("an admin switches sign-up on in the console", async ({ page }) => {
  await page.goto("/interaction/signup");
  expect((await page.request.get("/interaction/signup")).status()).toBe(404);
  await page.goto("/admin/settings");
  await signInAs(page, "root", "root-password-123");
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
  await page.getByLabel("Shortest password (8 to 64 characters)").fill("7");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Use at least 8.")).toBeVisible();
  await page.reload();
  await page.getByLabel("Anyone may create an account").check();
  await page.getByLabel("Full name").check();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("The settings were saved.")).toBeVisible();
});

test("sign-up from a relying party: confirm by mail, then sign in and return to the app", async ({ page }) => {
  await page.goto(`${RP}/start/public`);
  await page.getByRole("link", { name: "Create an account" }).click();
  await expect(page.getByRole("heading", { name: "Create an account" })).toBeVisible();
  // the policy, in plain words
  await page.getByLabel("Username").fill("sally");
  await page.getByLabel("Email").fill("sally@example.com");
  await page.getByLabel("Full name").fill("Sally Signup");
  await page.getByLabel("Password", { exact: true }).fill("sally-short");
  await page.getByLabel("Repeat the password").fill("sally-short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Use at least 12 characters.")).toBeVisible();
  await page.reload();
  await fillSignUp(page, "sally", "sally@example.com");
  await expect(page.getByText(CHECK_MAIL)).toBeVisible();
  const mail = await inbox.waitForMail({ to: "sally@example.com", subject: "Confirm your email address" });
  expect(mail.html).toContain("Confirm my email");
  expect(mail.html).not.toMatch(/<img/i);

  // Not before the email is confirmed: the right password is told so, with a resend link.
  await page.getByRole("link", { name: "Back to sign in" }).click();
  await signInAs(page, "sally", PASSWORD);
  await expect(page.getByRole("alert").filter({ hasText: "Confirm your email address first" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Send the confirmation link again" })).toBeVisible();

  // The link shows a button; opening it verifies nothing (mail scanners fetch links).
  await page.goto(inbox.linkIn(mail, `${ISSUER}/verify-email?`));
  await expect(page.getByText("Confirm that sally@example.com is your email address.")).toBeVisible();
  await page.getByRole("button", { name: "Confirm my email" }).click();
  await expect(page.getByRole("heading", { name: "Email confirmed" })).toBeVisible();
  await page.getByRole("link", { name: "Continue to sign in" }).click();
  await signInAs(page, "sally", PASSWORD);
  await page.getByRole("button", { name: "Allow" }).click();
  await expect(page).toHaveURL(/\/cb\/public/);
  const result = JSON.parse((await page.locator("body").textContent()) ?? "{}");
  expect(result.userinfo).toMatchObject({ name: "Sally Signup", email: "sally@example.com", email_verified: true });

  // A used link opens nothing.
  await page.goto(inbox.linkIn(mail, `${ISSUER}/verify-email?`));
  await expect(page.getByRole("heading", { name: "Link not valid" })).toBeVisible();
});

test("sign-up with a taken email answers like a new one and mails the owner", async ({ page }) => {
  await page.goto("/interaction/signup");
  await fillSignUp(page, "sally-two", "sally@example.com");
  await expect(page.getByText(CHECK_MAIL)).toBeVisible();
  await inbox.waitForMail({ to: "sally@example.com", subject: "Someone tried to sign up with your address" });
  // a taken username is told (usernames are public)
  await page.goto("/interaction/signup");
  await fillSignUp(page, "sally", "someone.else@example.com");
  await expect(page.getByText("This username is taken. Choose another.")).toBeVisible();
});

test("forgot password: the same answer for anyone; the link sets a new password and ends the other session", async ({ page, browser }) => {
  // Sally's other session, in another browser.
  const other = await browser.newContext();
  const elsewhere = await other.newPage();
  await elsewhere.goto(`${ISSUER}/account`);
  await signInAs(elsewhere, "sally", PASSWORD);
  await expect(elsewhere.getByTestId("account-username")).toHaveText("sally");

  await page.goto(`${RP}/start/public`);
  await page.getByRole("link", { name: "Forgot password?" }).click();
  await page.getByLabel("Username or email").fill("nobody-at-all");
  await page.getByRole("button", { name: "Send the link" }).click();
  await expect(page.getByText(RESET_SENT)).toBeVisible();
  const unknownText = await page.getByRole("status").textContent();
  await page.goto("/interaction/forgot");
  await page.getByLabel("Username or email").fill("sally");
  await page.getByRole("button", { name: "Send the link" }).click();
  await expect(page.getByText(RESET_SENT)).toBeVisible();
  expect(await page.getByRole("status").textContent()).toBe(unknownText);

  const mail = await inbox.waitForMail({ to: "sally@example.com", subject: "Set a new password" });
  const link = inbox.linkIn(mail, `${ISSUER}/reset-password?`);
  await page.goto(link);
  await page.getByLabel("New password", { exact: true }).fill("password1234");
  await page.getByLabel("Repeat the new password").fill("password1234");
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect(page.getByText("This password is too common.")).toBeVisible();
  await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel("Repeat the new password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect(page.getByRole("heading", { name: "Password changed" })).toBeVisible();
  await inbox.waitForMail({ to: "sally@example.com", subject: "Your password was changed" });

  // The other session ended.
  await elsewhere.reload();
  await expect(elsewhere.getByLabel("Username or email")).toBeVisible();
  await other.close();

  // The used link changes nothing.
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Link not valid" })).toBeVisible();

  await page.goto("/account");
  await signInAs(page, "sally", NEW_PASSWORD);
  await expect(page.getByTestId("account-username")).toHaveText("sally");
});
