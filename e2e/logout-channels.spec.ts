/**
 * Front-Channel and Back-Channel Logout in the browser: rp-channels (e2e/fixtures) registered
 * both URIs on the relying party of e2e/rp, which records each hit. Logging out there loads its
 * front-channel URI in an iframe (with iss and sid) before the browser returns, and the server's
 * delivery round POSTs it a logout token, verified here with jose against the provider's JWKS.
 */
import { expect, test } from "@playwright/test";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { issuer, rp } from "../playwright.config";
import { json, signInAs } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the relying party echoes JSON
async function hits(): Promise<{ frontchannel: any[]; backchannel: any[] }> {
  return (await fetch(`${rp}/hits`)).json();
}

test("logging out loads the client's front-channel URI and sends it a logout token", async ({ page }) => {
  await page.goto(`${rp}/start/channels`);
  await signInAs(page, "alice", "alice-password-123");
  await expect(page).toHaveURL(/\/cb\/channels/);
  const { claims } = await json(page);
  expect(claims.sid).toBeTruthy();
  const before = await hits();

  const frames: string[] = [];
  page.on("request", (r) => {
    if (r.frame() !== page.mainFrame()) frames.push(r.url());
  });
  await page.goto(`${rp}/logout/channels`);
  await expect(page).toHaveURL(`${rp}/signed-out?state=bye`);
  expect(frames.filter((u) => u.startsWith(`${rp}/frontchannel/channels`))).toHaveLength(1);

  const after = await hits();
  expect(after.frontchannel.slice(before.frontchannel.length)).toEqual([{ client: "channels", iss: issuer, sid: claims.sid }]);

  await expect.poll(async () => (await hits()).backchannel.length - before.backchannel.length, { timeout: 20_000 }).toBe(1);
  const posted = (await hits()).backchannel.at(-1);
  expect(posted.contentType).toBe("application/x-www-form-urlencoded");
  expect(decodeProtectedHeader(posted.logoutToken).typ).toBe("logout+jwt");
  const { payload } = await jwtVerify(posted.logoutToken, createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`)), {
    issuer,
    audience: "rp-channels",
    typ: "logout+jwt",
  });
  expect(payload).toMatchObject({ sub: claims.sub, sid: claims.sid, events: { "http://schemas.openid.net/event/backchannel-logout": {} } });
  expect(payload.nonce).toBeUndefined();

  // The session is gone: signing in to the client again asks for the password.
  await page.goto(`${rp}/start/channels?prompt=none`);
  expect(await json(page)).toMatchObject({ error: "login_required" });
});

test("confirming a logout on the logout page goes through the front-channel page too", async ({ page }) => {
  await page.goto(`${rp}/start/channels`);
  await signInAs(page, "alice", "alice-password-123");
  await expect(page).toHaveURL(/\/cb\/channels/);
  const { claims } = await json(page);
  const before = await hits();

  await page.goto(`/connect/endsession?client_id=rp-channels&post_logout_redirect_uri=${encodeURIComponent(`${rp}/signed-out`)}&state=s2`);
  await expect(page.getByRole("heading", { name: "Sign out?" })).toBeVisible();
  await page.getByRole("button", { name: "Yes, sign me out" }).click();
  await expect(page).toHaveURL(`${rp}/signed-out?state=s2`);
  const after = await hits();
  expect(after.frontchannel.slice(before.frontchannel.length)).toEqual([{ client: "channels", iss: issuer, sid: claims.sid }]);
  await expect.poll(async () => (await hits()).backchannel.length - before.backchannel.length, { timeout: 20_000 }).toBe(1);
});
