/**
 * Passkeys in a real browser, with Chromium's virtual authenticator (the DevTools WebAuthn
 * domain): register in the account, sign in without a password through the relying party, the
 * amr of the ID token, remove; and a page opened at another address than the issuer's refused.
 * A fixture user of its own (pia), so no other spec ever meets her passkeys.
 */
import { expect, test, type Page } from "@playwright/test";
import { signInAs } from "./helpers";

const RP = "http://localhost:3311";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the relying party echoes JSON
async function json(page: Page): Promise<Record<string, any>> {
  return JSON.parse((await page.locator("body").textContent()) ?? "{}");
}

/** A platform authenticator with user verification, as a phone or laptop has. */
async function virtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
  return {
    credentials: async () => (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials,
  };
}

test("register a passkey, sign in with it at the relying party without a password (amr hwk/swk), remove it", async ({ page }) => {
  const authenticator = await virtualAuthenticator(page);
  await page.goto("/account/security");
  await signInAs(page, "pia", "pia-passkey-password-1");
  await expect(page.getByRole("heading", { name: "Passkeys" })).toBeVisible();
  await expect(page.getByText("You have no passkeys yet.")).toBeVisible();
  await page.getByLabel("Name for the new passkey (optional)").fill("Test laptop");
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByRole("status").filter({ hasText: "The passkey was added" })).toBeVisible();
  const listed = page.getByTestId("passkey");
  await expect(listed).toHaveCount(1);
  await expect(listed).toContainText("Test laptop");
  await expect(listed).toContainText("not used yet");
  const [credential] = await authenticator.credentials();
  expect(credential).toMatchObject({ isResidentCredential: true, rpId: "localhost" });

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signed-out/);

  // Passwordless through the openid-client relying party, no name typed: the page offers the
  // passkey in the username field's autofill (conditional mediation), which Chromium's virtual
  // authenticator answers at once, as a person picking it from the list would.
  // (The field's autocomplete="username webauthn" is checked in the next test: here the page may
  // already be gone by the time a check would look.)
  await page.goto(`${RP}/start/web`);
  await expect(page).toHaveURL(/\/cb\/web/);
  const back = await json(page);
  expect(back.claims.iss).toBe("http://localhost:3310");
  expect(back.userinfo.email).toBe("pia@example.com");
  const amr: string[] = back.claims.amr;
  expect(amr.filter((m) => m === "hwk" || m === "swk")).toHaveLength(1);
  expect(amr).toEqual(expect.arrayContaining(["user", "mfa"]));
  expect(amr).not.toContain("pwd");

  // The account shows the use; removing needs a recent sign-in, which the passkey just was.
  await page.goto("/account/security");
  await expect(listed).toContainText("last used");
  await expect(page.getByTestId("activity")).toContainText("Passkey added");
  await page.getByRole("button", { name: "Remove Test laptop" }).click();
  await expect(page.getByRole("status").filter({ hasText: "The passkey was removed" })).toBeVisible();
  await expect(page.getByText("You have no passkeys yet.")).toBeVisible();

  // The removed passkey no longer signs in, with a plain message. The button's ceremony, not
  // autofill's: whether the waiting autofill one has answered yet is up to the browser.
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.goto(`${RP}/start/web`);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await page.getByRole("button", { name: "Use a passkey" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "This passkey is not registered here" })).toBeVisible();
  await expect(page).not.toHaveURL(/\/cb\/web/);
});

test("a sign-in page opened at another address than the issuer's (127.0.0.1, not localhost) cannot use the passkeys", async ({ page }) => {
  await virtualAuthenticator(page);
  await page.goto(`${RP}/start/web`);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expect(page.getByLabel("Username or email")).toHaveAttribute("autocomplete", "username webauthn");
  const wrong = page.url().replace("http://localhost:3310", "http://127.0.0.1:3310");
  expect(wrong).toContain("127.0.0.1");
  await page.goto(wrong);
  await page.getByRole("button", { name: "Use a passkey" }).click();
  await expect(
    page
      .getByRole("alert")
      .filter({ hasText: "Passkeys for this server work only at http://localhost:3310. This page is open at http://127.0.0.1:3310" }),
  ).toBeVisible();
});
