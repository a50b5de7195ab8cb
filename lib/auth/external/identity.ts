/**
 * The upstream identity as Portcullis keeps it after the handshake, read through the provider's
 * claim mapping.
 *
 * Rules:
 * - the subject is the mapped `sub` (a string or a number), at most 255 characters;
 * - the email counts as verified only when the mapped `email_verified` is the boolean true (or
 *   the string "true" some providers send);
 * - local claims take strings, numbers and booleans only, each at most 2,000 characters; `sub`,
 *   `email`, `email_verified`, `preferred_username` and `updated_at` are never stored as claims
 *   (the account's own fields answer them);
 * - `amr` is passed on only when it is a list of short strings.
 */
import { createRemoteJWKSet, customFetch, jwtVerify, type JWTVerifyGetKey } from "jose";
import { UpstreamResponseTooLarge, UpstreamUnavailable, type UpstreamFetch } from "./fetch";

export interface VerifiedIdentity {
  providerId: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  /** the upstream's preferred username, a hint for a new user's username */
  usernameHint: string | null;
  /** local claim name -> value, from the mapping */
  claims: Record<string, string | number | boolean>;
  /** the upstream's authentication methods (RFC 8176), when it said */
  amr: string[] | null;
  /** the ID token's auth_time (seconds), when the upstream says when the person authenticated */
  authTime: number | null;
}

const ACCOUNT_FIELDS = new Set(["sub", "email", "email_verified", "preferred_username", "updated_at"]);
const MAX_CLAIM_LENGTH = 2000;

export class IdentityRejected extends Error {
  override readonly name = "IdentityRejected";
}

const text = (v: unknown): string | null => (typeof v === "string" && v.length > 0 ? v : null);

/** Reads the identity from the upstream's claims (userinfo merged over the ID token's). */
export function readIdentity(providerId: string, mapping: Record<string, string>, source: Record<string, unknown>): VerifiedIdentity {
  const at = (local: string): unknown => (mapping[local] ? source[mapping[local]] : undefined);
  const rawSub = at("sub");
  const subject = typeof rawSub === "number" && Number.isSafeInteger(rawSub) ? String(rawSub) : text(rawSub);
  if (!subject) throw new IdentityRejected(`the upstream identity has no subject (claim ${mapping.sub ?? "sub"})`);
  if (subject.length > 255) throw new IdentityRejected("the upstream subject is longer than 255 characters");
  const email = text(at("email"));
  const validEmail = email && email.length <= 254 && /^[^\s@]+@[^\s@]+$/.test(email) ? email.toLowerCase() : null;
  const verified = at("email_verified");
  const claims: Record<string, string | number | boolean> = {};
  for (const local of Object.keys(mapping)) {
    if (ACCOUNT_FIELDS.has(local)) continue;
    const v = at(local);
    if (
      typeof v === "string"
        ? v.length > 0 && v.length <= MAX_CLAIM_LENGTH
        : typeof v === "number"
          ? Number.isFinite(v)
          : typeof v === "boolean"
    )
      claims[local] = v as string | number | boolean;
  }
  const amr = source.amr;
  const authTime = source.auth_time;
  return {
    providerId,
    subject,
    email: validEmail,
    emailVerified: validEmail !== null && (verified === true || verified === "true"),
    name: typeof claims.name === "string" ? claims.name : null,
    usernameHint: text(at("preferred_username"))?.slice(0, 100) ?? null,
    claims,
    amr:
      Array.isArray(amr) && amr.length > 0 && amr.length <= 10 && amr.every((m) => typeof m === "string" && /^[\x21-\x7E]{1,32}$/.test(m))
        ? (amr as string[])
        : null,
    authTime: typeof authTime === "number" && Number.isInteger(authTime) && authTime > 0 ? authTime : null,
  };
}

/** Asymmetric algorithms only: an HS256 ID token would be signed with our own client secret. */
const ID_TOKEN_ALGS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"];

/** The upstream's JWKS, fetched through the bounded fetch and cached by jose (refetched on an unknown kid). */
export function remoteKeys(jwksUri: string, fetchUpstream: UpstreamFetch, timeoutMs: number): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(jwksUri), {
    timeoutDuration: timeoutMs,
    cacheMaxAge: 10 * 60_000,
    cooldownDuration: 30_000,
    [customFetch]: (url, init) => fetchUpstream(url, init as RequestInit),
  });
}

/**
 * Verifies the ID token's signature against the upstream's JWKS. @auth/core (through
 * oauth4webapi) checks iss, aud, exp, iat, azp and nonce, but not the signature of an ID token
 * from the token endpoint (OpenID Connect Core 3.1.3.7 allows relying on TLS there); Portcullis
 * checks it too, so a token endpoint reached over plain http or a compromised path cannot hand
 * over an identity. Returns the token's claims.
 *
 * Why jose and not openid-client for this one step: openid-client 6 is built on the same
 * oauth4webapi and skips this signature too unless told otherwise, and it would have to run the
 * whole code exchange to do it (its check works only on responses it processed itself). jose is
 * already a runtime dependency (openid-client's own JOSE library) and checks the one token.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 */
export async function verifyIdTokenSignature(
  idToken: string,
  keys: JWTVerifyGetKey,
  expected: { issuer: string | null; audience: string },
): Promise<Record<string, unknown>> {
  try {
    const { payload } = await jwtVerify(idToken, keys, {
      algorithms: ID_TOKEN_ALGS,
      audience: expected.audience,
      clockTolerance: 60,
      ...(expected.issuer ? { issuer: expected.issuer } : {}),
    });
    return payload as Record<string, unknown>;
  } catch (err) {
    if (err instanceof UpstreamUnavailable || err instanceof UpstreamResponseTooLarge) throw err;
    throw new IdentityRejected(`the ID token failed verification: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
