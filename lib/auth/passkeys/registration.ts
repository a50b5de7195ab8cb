/**
 * Registering a passkey from the signed-in account.
 *
 * Rules:
 * - only the session's own user registers, and only while the sign-in is recent
 *   (lib/account/reauth.ts): a stolen session cookie must not be able to plant a lasting key;
 * - options: attestation "none" (we trust no vendor list, so attestation would only be data to
 *   keep), residentKey "required" (passwordless sign-in names no user, the key must be
 *   discoverable), userVerification "required": a passkey alone signs in, and the PIN or
 *   biometric is what makes it two factors (amr "user", "mfa"). Keys that cannot verify the user
 *   are refused, which is the point;
 * - the user's passkeys are excluded, so one authenticator is not registered twice;
 * - the answer must match the challenge of THIS session's registration (used once, see
 *   challenges.ts), the issuer's origin and RP id, and carry user verification;
 * - a credential id registered already (to anyone) is refused; registration is audited.
 */
import { generateRegistrationOptions, verifyRegistrationResponse, type RegistrationResponseJSON } from "@simplewebauthn/server";
import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import type { ProviderContext } from "../../oidc";
import { sessionFromHandle } from "../../oidc";
import { recentlyAuthenticated } from "../../account/reauth";
import { passkeyNameInput, webauthnResponseInput } from "../../schemas/passkeys";
import { CHALLENGE_TTL, consumeChallenge, saveChallenge } from "./challenges";
import type { PasskeyRecord, PasskeyStore } from "./ports";
import { relyingParty } from "./rp";

export const DEFAULT_PASSKEY_NAME = "Passkey";
const CEREMONY_TIMEOUT = CHALLENGE_TTL - 30_000;

export type RegistrationStart =
  | { ok: true; options: PublicKeyCredentialCreationOptionsJSON; challengeHandle: string }
  | { ok: false; reason: "not_signed_in" | "reauth" };

export async function startPasskeyRegistration(
  ctx: ProviderContext,
  store: PasskeyStore,
  sessionHandle: string | undefined,
): Promise<RegistrationStart> {
  const active = await sessionFromHandle(ctx, sessionHandle);
  if (!active) return { ok: false, reason: "not_signed_in" };
  if (!recentlyAuthenticated(ctx, active)) return { ok: false, reason: "reauth" };
  const rp = relyingParty(ctx);
  const existing = await store.listByUser(active.user.id);
  const name = typeof active.user.claims.name === "string" ? active.user.claims.name : "";
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    // The user handle is the internal id: no name or email is stored on the authenticator's side.
    userID: new TextEncoder().encode(active.user.id),
    userName: active.user.username,
    userDisplayName: name || active.user.username,
    timeout: CEREMONY_TIMEOUT,
    attestationType: "none",
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
    authenticatorSelection: { residentKey: "required", requireResidentKey: true, userVerification: "required" },
  });
  const challengeHandle = await saveChallenge(ctx, {
    challenge: options.challenge,
    purpose: "register",
    userId: active.user.id,
    bindTo: active.session.id,
  });
  return { ok: true, options, challengeHandle };
}

export type RegistrationResult =
  | { ok: true; passkey: PasskeyRecord }
  | { ok: false; reason: "not_signed_in" | "reauth" | "invalid_name" | "expired" | "not_verified" | "wrong_origin" | "already_registered" };

export async function finishPasskeyRegistration(
  ctx: ProviderContext,
  store: PasskeyStore,
  input: { sessionHandle: string | undefined; challengeHandle: string | undefined; response: unknown; name: string; ipAddress?: string },
): Promise<RegistrationResult> {
  const active = await sessionFromHandle(ctx, input.sessionHandle);
  if (!active) return { ok: false, reason: "not_signed_in" };
  if (!recentlyAuthenticated(ctx, active)) return { ok: false, reason: "reauth" };
  const name = passkeyNameInput.safeParse(input.name);
  if (!name.success) return { ok: false, reason: "invalid_name" };
  const challenge = await consumeChallenge(ctx, input.challengeHandle, "register");
  if (!challenge.ok || challenge.data.userId !== active.user.id || challenge.data.bindTo !== active.session.id) {
    return { ok: false, reason: "expired" };
  }
  const response = webauthnResponseInput.safeParse(input.response);
  if (!response.success) return { ok: false, reason: "not_verified" };
  const rp = relyingParty(ctx);
  let verified;
  try {
    verified = await verifyRegistrationResponse({
      response: response.data as unknown as RegistrationResponseJSON,
      expectedChallenge: challenge.data.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    });
  } catch (err) {
    return { ok: false, reason: isOriginError(err) ? "wrong_origin" : "not_verified" };
  }
  if (!verified.verified) return { ok: false, reason: "not_verified" };
  const info = verified.registrationInfo;
  const existing = await store.listByUser(active.user.id);
  const passkey = await store.add(
    {
      userId: active.user.id,
      credentialId: info.credential.id,
      publicKey: info.credential.publicKey,
      counter: info.credential.counter,
      transports: info.credential.transports ?? [],
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
      name: name.data || defaultName(existing.map((p) => p.name)),
    },
    new Date(ctx.now()),
  );
  if (!passkey) return { ok: false, reason: "already_registered" };
  await ctx.stores.audit.record({
    type: "passkey_added",
    actor: active.user.id,
    subject: active.user.id,
    ipAddress: input.ipAddress,
    details: { passkeyId: passkey.id, name: passkey.name, deviceType: passkey.deviceType, backedUp: passkey.backedUp },
  });
  return { ok: true, passkey };
}

/** "Passkey", then "Passkey 2", ...: several unnamed passkeys stay distinguishable. */
export function defaultName(taken: string[]): string {
  const names = new Set(taken);
  if (!names.has(DEFAULT_PASSKEY_NAME)) return DEFAULT_PASSKEY_NAME;
  for (let i = 2; ; i++) if (!names.has(`${DEFAULT_PASSKEY_NAME} ${i}`)) return `${DEFAULT_PASSKEY_NAME} ${i}`;
}

/** SimpleWebAuthn says so in its message: the answer came from another origin or RP id. */
export function isOriginError(err: unknown): boolean {
  return err instanceof Error && /origin|RP ID/i.test(err.message);
}
