/**
 * The Next side of passkey ceremonies: the challenge cookie, CSRF, and the messages the
 * browser shows. Server actions call these; the rules are in lib/auth/passkeys.
 *
 * The challenge handle travels in an HttpOnly SameSite=Strict cookie, so the challenge a
 * browser was given can be used by that browser only, and page script never sees the handle.
 */
import { cookies } from "next/headers";
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { checkFormToken } from "../auth/csrf";
import {
  CHALLENGE_TTL,
  finishPasskeyRegistration,
  PASSKEY_MESSAGES,
  signInWithPasskey,
  startPasskeyRegistration,
  startPasskeyFactor,
  startPasskeySignIn,
  verifyPasskeyFactor,
  type RegistrationResult,
} from "../auth/passkeys";
import { sessionCookieOptions } from "../oidc";
import { getRuntime } from "../runtime";
import { WEBAUTHN_RESPONSE_MAX } from "../schemas/passkeys";
import { browserCookies, clientMeta } from "./request";
import { LOGIN_ERRORS } from "./login";

export const slotOf = (autofill: unknown): CeremonySlot => (autofill === true ? "autofill" : "button");

export const WEBAUTHN_COOKIE = "portcullis.webauthn";

/**
 * A sign-in page runs two ceremonies at once: the autofill offer, started on load and waiting,
 * and the button's. Each keeps its challenge under its own cookie, so starting one never
 * replaces the other's challenge.
 */
export type CeremonySlot = "autofill" | "button";
const cookieOf = (slot?: CeremonySlot) => (slot === "autofill" ? `${WEBAUTHN_COOKIE}-autofill` : WEBAUTHN_COOKIE);

export type { PasskeyAnswer } from "../schemas/passkey-answers";
import type { PasskeyAnswer } from "../schemas/passkey-answers";

async function setChallengeCookie(handle: string, slot?: CeremonySlot) {
  const { provider } = await getRuntime();
  (await cookies()).set(cookieOf(slot), handle, {
    httpOnly: true,
    sameSite: "strict",
    secure: provider.settings.issuer.startsWith("https:"),
    path: "/",
    maxAge: CHALLENGE_TTL / 1000,
  });
}

async function takeChallengeCookie(slot?: CeremonySlot): Promise<string | undefined> {
  const jar = await cookies();
  const handle = jar.get(cookieOf(slot))?.value;
  jar.delete(cookieOf(slot));
  return handle;
}

/** A browser's answer arrives as the JSON startRegistration/startAuthentication gave; bounded before parsing. */
function parseResponse(json: unknown): unknown {
  if (typeof json !== "string" || json.length > WEBAUTHN_RESPONSE_MAX) return null;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return null;
  }
}

async function formOk(purpose: string, csrf: unknown): Promise<boolean> {
  const { provider } = await getRuntime();
  return checkFormToken(provider, (await browserCookies()).csrf, purpose, typeof csrf === "string" ? csrf.slice(0, 200) : "");
}

// ---- passwordless sign-in ----

/** Options for a passwordless sign-in from the form with CSRF purpose `purpose`. */
export async function passkeySignInOptions(
  purpose: string,
  csrf: unknown,
  stillValid: () => Promise<boolean>,
  slot: CeremonySlot,
): Promise<PasskeyAnswer<{ options: PublicKeyCredentialRequestOptionsJSON }>> {
  if (!(await formOk(purpose, csrf))) return { ok: false, message: LOGIN_ERRORS.expired };
  if (!(await stillValid())) return { ok: false, message: LOGIN_ERRORS.request };
  const { provider } = await getRuntime();
  const { options, challengeHandle } = await startPasskeySignIn(provider);
  await setChallengeCookie(challengeHandle, slot);
  return { ok: true, options };
}

/** Verifies a passwordless sign-in; on success the browser has a new session cookie. */
export async function passkeySignIn(
  purpose: string,
  csrf: unknown,
  response: unknown,
  stillValid: () => Promise<boolean>,
  slot: CeremonySlot,
): Promise<PasskeyAnswer> {
  const challengeHandle = await takeChallengeCookie(slot);
  if (!(await formOk(purpose, csrf))) return { ok: false, message: LOGIN_ERRORS.expired };
  if (!(await stillValid())) return { ok: false, message: LOGIN_ERRORS.request };
  const { provider, passkeys, accounts } = await getRuntime();
  const browser = await browserCookies();
  const result = await signInWithPasskey(provider, passkeys, accounts, {
    challengeHandle,
    response: parseResponse(response),
    previousHandle: browser.session,
    ...(await clientMeta()),
  });
  if (!result.ok) return { ok: false, message: PASSKEY_MESSAGES[result.reason] };
  const { name, ...options } = sessionCookieOptions(provider);
  (await cookies()).set(name, result.handle, options);
  return { ok: true };
}

// ---- registration in the account ----

/** One CSRF purpose for the account area's own forms (app/account/actions.ts). */
const ACCOUNT_FORM = "sessions:account";

const REGISTRATION_MESSAGES: Record<Exclude<RegistrationResult, { ok: true }>["reason"], string> = {
  not_signed_in: "You are signed out. Sign in again, then add the passkey.",
  reauth: "Confirm it is you first: you are being taken to the confirmation page.",
  invalid_name: "A passkey name has at most 60 characters and no control characters.",
  expired: "This passkey request has expired or was already used. Try again.",
  not_verified: "The passkey could not be verified. Try again.",
  wrong_origin: "This passkey answer came from another site address than this server's. Open your account at its usual address.",
  already_registered: "This passkey is registered already.",
};

export async function passkeyRegistrationOptions(
  csrf: unknown,
): Promise<PasskeyAnswer<{ options: PublicKeyCredentialCreationOptionsJSON }>> {
  if (!(await formOk(ACCOUNT_FORM, csrf))) return { ok: false, message: LOGIN_ERRORS.expired };
  const { provider, passkeys } = await getRuntime();
  const started = await startPasskeyRegistration(provider, passkeys, (await browserCookies()).session);
  if (!started.ok) return { ok: false, message: REGISTRATION_MESSAGES[started.reason], reauth: started.reason === "reauth" };
  await setChallengeCookie(started.challengeHandle);
  return { ok: true, options: started.options };
}

export async function passkeyRegister(csrf: unknown, response: unknown, name: unknown): Promise<PasskeyAnswer<{ name: string }>> {
  const challengeHandle = await takeChallengeCookie();
  if (!(await formOk(ACCOUNT_FORM, csrf))) return { ok: false, message: LOGIN_ERRORS.expired };
  const { provider, passkeys } = await getRuntime();
  const result = await finishPasskeyRegistration(provider, passkeys, {
    sessionHandle: (await browserCookies()).session,
    challengeHandle,
    response: parseResponse(response),
    name: typeof name === "string" ? name.slice(0, 1000) : "",
    ipAddress: (await clientMeta()).ipAddress,
  });
  if (!result.ok) return { ok: false, message: REGISTRATION_MESSAGES[result.reason], reauth: result.reason === "reauth" };
  return { ok: true, name: result.passkey.name };
}

// ---- second factor (the /interaction/mfa page calls these with its pending sign-in) ----

/**
 * Options for the passkey factor of `userId`'s pending sign-in. The caller has checked its form
 * and resolved the pending sign-in; null options: the user has no passkey.
 */
export async function passkeyFactorOptions(
  userId: string,
  pendingHandle: string,
): Promise<PasskeyAnswer<{ options: PublicKeyCredentialRequestOptionsJSON }>> {
  const { provider, passkeys } = await getRuntime();
  const started = await startPasskeyFactor(provider, passkeys, userId, pendingHandle);
  if (!started) return { ok: false, message: "You have no passkey on this account. Use another way to confirm it is you." };
  await setChallengeCookie(started.challengeHandle, "button");
  return { ok: true, options: started.options };
}

/**
 * Verifies the passkey factor; on success `complete` finishes the pending sign-in with amr
 * ["pwd", kind, "mfa"] (B1's completePendingSignIn) and returns where the browser goes.
 */
export async function passkeyFactor(
  userId: string,
  pendingHandle: string,
  response: unknown,
  complete: (amr: string[]) => Promise<string>,
): Promise<PasskeyAnswer<{ redirect: string }>> {
  const challengeHandle = await takeChallengeCookie("button");
  const { provider, passkeys } = await getRuntime();
  const result = await verifyPasskeyFactor(provider, passkeys, {
    userId,
    pendingHandle,
    challengeHandle,
    response: parseResponse(response),
    ipAddress: (await clientMeta()).ipAddress,
  });
  if (!result.ok) return { ok: false, message: PASSKEY_MESSAGES[result.reason] };
  return { ok: true, redirect: await complete(["pwd", result.kind, "mfa"]) };
}
