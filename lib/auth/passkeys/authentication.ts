/**
 * Signing in with a passkey: passwordless (discoverable), or as the second factor after a password.
 *
 * Rules:
 * - passwordless: allowCredentials is empty, the authenticator offers its discoverable keys
 *   for the RP id; user verification is REQUIRED (the key alone signs in);
 * - second factor: allowCredentials lists the user's passkeys, user verification preferred (the
 *   password was the first factor); the challenge is bound to the pending sign-in, and the key
 *   must be one of that user's;
 * - the verification endpoint is throttled by address with the sign-in rate limit (login.ip)
 *   before any other work;
 * - every answer is checked against a challenge used once (challenges.ts), the issuer's origin
 *   and RP id, the stored public key, and the counter rule (counter.ts). SimpleWebAuthn is given
 *   counter 0 so that the rule is decided here once, with its audit event; the new counter is
 *   written by one statement conditioned on the old one (a concurrent second use loses);
 * - a locked user, an unknown key and a refused answer all get a plain refusal; sign-in
 *   success and failure are audited.
 */
import { generateAuthenticationOptions, verifyAuthenticationResponse, type AuthenticationResponseJSON } from "@simplewebauthn/server";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { ProviderContext } from "../../oidc";
import { addressKey, hitInOrder, sessionFromHandle, startSession } from "../../oidc";
import type { UserAccountStore } from "../ports";
import { webauthnResponseInput } from "../../schemas/passkeys";
import { CHALLENGE_TTL, consumeChallenge, saveChallenge, type ChallengePurpose } from "./challenges";
import { checkCounter } from "./counter";
import type { PasskeyRecord, PasskeyStore } from "./ports";
import { isOriginError } from "./registration";
import { relyingParty } from "./rp";

export const PASSKEY_MESSAGES = {
  throttled: "Too many sign-in attempts. Wait a few minutes, then try again.",
  expired: "This passkey request has expired or was already used. Try again.",
  unknown: "This passkey is not registered here. Sign in with your password, then add it under Security.",
  refused: "The passkey could not be verified. Try again, or sign in with your password.",
  wrong_origin: "This passkey answer came from another site address than this server's. Open the sign-in page at its usual address.",
  cloned:
    "This passkey was refused: its signature counter went backwards, which happens when a key has been copied. Sign in another way and check your passkeys.",
} as const;
export type PasskeyFailure = keyof typeof PASSKEY_MESSAGES;

/** What the second-factor check answers: the kind of key, for the amr claim. */
export type KeyKind = "hwk" | "swk";

const CEREMONY_TIMEOUT = CHALLENGE_TTL - 30_000;

/** Synced or backed-up passkeys are software keys (swk) in RFC 8176's terms, the rest hardware (hwk). */
export function keyKind(p: Pick<PasskeyRecord, "backedUp" | "deviceType">): KeyKind {
  return p.backedUp || p.deviceType === "multiDevice" ? "swk" : "hwk";
}

export interface AuthenticationStart {
  options: PublicKeyCredentialRequestOptionsJSON;
  challengeHandle: string;
}

/** Options for a passwordless sign-in: any discoverable passkey of this RP id. */
export async function startPasskeySignIn(ctx: ProviderContext): Promise<AuthenticationStart> {
  const options = await generateAuthenticationOptions({
    rpID: relyingParty(ctx).id,
    allowCredentials: [],
    userVerification: "required",
    timeout: CEREMONY_TIMEOUT,
  });
  return { options, challengeHandle: await saveChallenge(ctx, { challenge: options.challenge, purpose: "sign_in" }) };
}

/** Options for the second factor of `userId`'s pending sign-in `pendingHandle`. */
export async function startPasskeyFactor(
  ctx: ProviderContext,
  store: PasskeyStore,
  userId: string,
  pendingHandle: string,
): Promise<AuthenticationStart | null> {
  const passkeys = await store.listByUser(userId);
  if (!passkeys.length) return null;
  const options = await generateAuthenticationOptions({
    rpID: relyingParty(ctx).id,
    allowCredentials: passkeys.map((p) => ({ id: p.credentialId, transports: p.transports })),
    userVerification: "preferred",
    timeout: CEREMONY_TIMEOUT,
  });
  const challengeHandle = await saveChallenge(ctx, {
    challenge: options.challenge,
    purpose: "second_factor",
    userId,
    bindTo: await ctx.sha256(pendingHandle),
  });
  return { options, challengeHandle };
}

export type AssertionResult =
  { ok: true; passkey: PasskeyRecord; userVerified: boolean; kind: KeyKind } | { ok: false; reason: PasskeyFailure; userId?: string };

/**
 * Checks one assertion against the challenge behind `challengeHandle` (used up whatever the
 * outcome) and records the use. `expect` names the user and binding of a second factor.
 */
export async function verifyPasskeyAssertion(
  ctx: ProviderContext,
  store: PasskeyStore,
  input: { challengeHandle: string | undefined; response: unknown; purpose: ChallengePurpose; expect?: { userId: string; bindTo: string } },
): Promise<AssertionResult> {
  const challenge = await consumeChallenge(ctx, input.challengeHandle, input.purpose);
  if (!challenge.ok) return { ok: false, reason: "expired" };
  if (input.expect && (challenge.data.userId !== input.expect.userId || challenge.data.bindTo !== input.expect.bindTo)) {
    return { ok: false, reason: "expired" };
  }
  const response = webauthnResponseInput.safeParse(input.response);
  if (!response.success) return { ok: false, reason: "refused" };
  const passkey = await store.findByCredentialId(response.data.id);
  if (!passkey || (input.expect && passkey.userId !== input.expect.userId)) return { ok: false, reason: "unknown" };
  const user = await ctx.stores.users.findUser(passkey.userId);
  if (!user || user.locked) return { ok: false, reason: "refused", userId: passkey.userId };
  const rp = relyingParty(ctx);
  const requireUserVerification = input.purpose === "sign_in";
  let verified;
  try {
    verified = await verifyAuthenticationResponse({
      response: response.data as unknown as AuthenticationResponseJSON,
      expectedChallenge: challenge.data.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      // Counter 0: the library then leaves the counter rule to checkCounter below (see the header).
      credential: { id: passkey.credentialId, publicKey: passkey.publicKey, counter: 0, transports: passkey.transports },
      requireUserVerification,
    });
  } catch (err) {
    return { ok: false, reason: isOriginError(err) ? "wrong_origin" : "refused", userId: passkey.userId };
  }
  if (!verified.verified) return { ok: false, reason: "refused", userId: passkey.userId };
  const info = verified.authenticationInfo;
  if (checkCounter(passkey.counter, info.newCounter) === "cloned") {
    await ctx.stores.audit.record({
      type: "passkey_counter_refused",
      subject: passkey.userId,
      details: { passkeyId: passkey.id, stored: passkey.counter, presented: info.newCounter },
    });
    return { ok: false, reason: "cloned", userId: passkey.userId };
  }
  const flags = { backedUp: info.credentialBackedUp, deviceType: info.credentialDeviceType };
  if (!(await store.recordUse(passkey.id, passkey.counter, info.newCounter, new Date(ctx.now()), flags))) {
    return { ok: false, reason: "cloned", userId: passkey.userId };
  }
  const used = { ...passkey, ...flags, counter: info.newCounter };
  return { ok: true, passkey: used, userVerified: info.userVerified, kind: keyKind(used) };
}

export type PasskeySignInResult = { ok: true; handle: string; userId: string } | { ok: false; reason: PasskeyFailure };

/**
 * A passwordless sign-in: the assertion checked under the sign-in rate limit, then this
 * browser's previous session ended and a new one started (amr hwk|swk, user, mfa).
 */
export async function signInWithPasskey(
  ctx: ProviderContext,
  store: PasskeyStore,
  accounts: Pick<UserAccountStore, "recordSuccess">,
  input: { challengeHandle: string | undefined; response: unknown; previousHandle?: string; ipAddress?: string; userAgent?: string },
): Promise<PasskeySignInResult> {
  if ((await hitInOrder(ctx.limits, [["login.ip", addressKey(input.ipAddress)]])) > 0) return { ok: false, reason: "throttled" };
  const checked = await verifyPasskeyAssertion(ctx, store, { ...input, purpose: "sign_in" });
  if (!checked.ok) {
    await ctx.stores.audit.record({
      type: "login_failed",
      subject: checked.userId,
      ipAddress: input.ipAddress,
      details: { reason: `passkey ${checked.reason}`, method: "passkey" },
    });
    return checked;
  }
  const { passkey } = checked;
  const now = ctx.now();
  await accounts.recordSuccess(passkey.userId, new Date(now));
  const previous = await sessionFromHandle(ctx, input.previousHandle);
  if (previous) await ctx.stores.sessions.revokeSession(previous.session.id, new Date(now));
  const { session, handle } = await startSession(ctx, {
    userId: passkey.userId,
    amr: [checked.kind, "user", "mfa"],
    ipAddress: input.ipAddress,
    userAgent: input.userAgent,
  });
  await ctx.stores.audit.record({
    type: "login_succeeded",
    subject: passkey.userId,
    ipAddress: input.ipAddress,
    details: { sessionId: session.id, method: "passkey", passkeyId: passkey.id },
  });
  return { ok: true, handle, userId: passkey.userId };
}

/**
 * The passkey as the second factor of `userId`'s pending sign-in (after the password). The
 * caller completes the pending sign-in with ["pwd", kind, "mfa"] on success.
 */
export async function verifyPasskeyFactor(
  ctx: ProviderContext,
  store: PasskeyStore,
  input: { userId: string; pendingHandle: string; challengeHandle: string | undefined; response: unknown; ipAddress?: string },
): Promise<{ ok: true; kind: KeyKind } | { ok: false; reason: PasskeyFailure }> {
  if ((await hitInOrder(ctx.limits, [["login.ip", addressKey(input.ipAddress)]])) > 0) return { ok: false, reason: "throttled" };
  const checked = await verifyPasskeyAssertion(ctx, store, {
    challengeHandle: input.challengeHandle,
    response: input.response,
    purpose: "second_factor",
    expect: { userId: input.userId, bindTo: await ctx.sha256(input.pendingHandle) },
  });
  if (!checked.ok) {
    await ctx.stores.audit.record({
      type: "login_failed",
      subject: input.userId,
      ipAddress: input.ipAddress,
      details: { reason: `passkey ${checked.reason}`, method: "passkey_factor" },
    });
    return { ok: false, reason: checked.reason };
  }
  return { ok: true, kind: checked.kind };
}
