/**
 * The device authorization grant (RFC 8628) end to end: openid-client plays the device in the
 * test process, Chromium the user's phone on the verification page (e2e/fixtures: the public
 * client tv-device, polling every second).
 */
import { expect, test } from "@playwright/test";
import * as oidc from "openid-client";
import { issuer } from "../playwright.config";
import { noSeriousViolations, signInAs } from "./helpers";

async function device() {
  const config = await oidc.discovery(new URL(issuer), "tv-device", undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
  return { config, started: await oidc.initiateDeviceAuthorization(config, { scope: "openid profile offline_access" }) };
}

test("a device signs in: the user opens verification_uri_complete, signs in, confirms the code and approves", async ({ page }) => {
  const { config, started } = await device();
  expect(started.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
  expect(started.verification_uri).toBe(`${issuer}/device`);
  const tokens = oidc.pollDeviceAuthorizationGrant(config, started);

  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto(started.verification_uri_complete!);
  await expect(page.getByRole("heading", { name: "Sign in to your account" })).toBeVisible();
  await signInAs(page, "alice", "alice-password-123");

  await expect(page.getByRole("heading", { name: "Living Room TV wants access" })).toBeVisible();
  await expect(page.getByTestId("user-code")).toHaveText(started.user_code);
  await expect(page.getByLabel(/Your user identifier/)).toBeDisabled();
  await expect(page.getByLabel(/Offline access/)).toBeChecked();
  await noSeriousViolations(page);
  await page.screenshot({ path: "test-results/device-confirm-phone.png", fullPage: true });
  // Nothing scrolls sideways at 390 px.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByRole("heading", { name: "Device connected" })).toBeVisible();

  const result = await tokens;
  expect(result.claims()).toMatchObject({ iss: issuer, aud: "tv-device", amr: ["pwd"] });
  expect(result.scope).toBe("openid profile offline_access");
  expect(result.refresh_token).toBeTruthy();

  // The code was used: entering it again says so in plain words.
  await page.goto(started.verification_uri_complete!);
  await expect(page.getByText("That code is not valid: it may have expired or been used already.")).toBeVisible();
});

test("the user types the code (any case, without the dash), denies, and the device gets access_denied", async ({ page }) => {
  const { config, started } = await device();
  const outcome = oidc.pollDeviceAuthorizationGrant(config, started).then(
    () => "tokens",
    (err: { error?: string }) => err.error,
  );
  await page.goto("/device");
  await signInAs(page, "alice", "alice-password-123");
  await expect(page.getByRole("heading", { name: "Connect a device" })).toBeVisible();

  await page.getByLabel("Code").fill("abc");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByText("Enter the 8-letter code shown on your device, for example BCDF-GHJK.")).toBeVisible();

  await page.getByLabel("Code").fill(started.user_code.replace("-", "").toLowerCase());
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByTestId("user-code")).toHaveText(started.user_code);
  await page.getByRole("button", { name: "Deny" }).click();
  await expect(page.getByRole("heading", { name: "Request denied" })).toBeVisible();
  expect(await outcome).toBe("access_denied");
});
