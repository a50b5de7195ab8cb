import { expect, test } from "@playwright/test";
import { authenticator, json, signInAs } from "./helpers";

const RP = "http://localhost:3311";
// A fixture user of this file only: she has no second factor until this test gives her one.
const USER = "stella";
const PASSWORD = "climb-higher-4711-steps";
const MFA = "urn:portcullis:acr:mfa";
const SFA = "urn:portcullis:acr:sfa";

test("step-up: acr_values asks for a second factor, a user without one is led to enrol, acr and amr say what happened", async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();

  // A password sign-in is single-factor.
  await page.goto(`${RP}/start/web`);
  await signInAs(page, USER, PASSWORD);
  await expect(page).toHaveURL(/\/cb\/web/);
  expect((await json(page)).claims).toMatchObject({ acr: SFA, amr: ["pwd"] });

  // prompt=none cannot step up.
  await page.goto(`${RP}/start/web?${new URLSearchParams({ acr_values: MFA, prompt: "none" })}`);
  await expect(page.locator("body")).toContainText("login_required");

  // acr_values naming mfa: the session has no second factor and the user has none: enrol.
  await page.goto(`${RP}/start/web?${new URLSearchParams({ acr_values: MFA })}`);
  await expect(page.getByRole("heading", { name: "Set up two-step verification" })).toBeVisible();
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  const secret = (await page.getByTestId("totp-secret").textContent())!.trim();
  const app = authenticator(secret);
  await page.getByLabel("Code from the app").fill(await app.fresh(page));
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem")).toHaveCount(10);
  await page.getByRole("link", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/cb\/web/);
  const stepped = (await json(page)).claims;
  expect(stepped.acr).toBe(MFA);
  expect(stepped.amr).toEqual(expect.arrayContaining(["pwd", "otp", "mfa"]));

  // The session now holds the factor: a client that requires one signs in without a page.
  await page.goto(`${RP}/start/bank`);
  await expect(page).toHaveURL(/\/cb\/bank/);
  expect((await json(page)).claims.acr).toBe(MFA);
  await context.close();

  // A new browser: the password, then the code, for the client that requires a second factor.
  const fresh = await browser.newContext();
  const next = await fresh.newPage();
  await next.goto(`${RP}/start/bank`);
  await signInAs(next, USER, PASSWORD);
  await expect(next.getByRole("heading", { name: "Two-step verification" })).toBeVisible();
  await next.getByLabel("Code", { exact: true }).fill(await app.fresh(next));
  await next.getByRole("button", { name: "Verify" }).click();
  await expect(next).toHaveURL(/\/cb\/bank/);
  expect((await json(next)).claims).toMatchObject({ acr: MFA });
  await fresh.close();
});
