/**
 * Proof Key for Code Exchange (RFC 7636), both halves.
 *
 * Rules:
 * - authorization request: code_challenge_method is S256 only (plain, or a challenge without a
 *   method, is refused); the challenge is 43-128 characters of [A-Za-z0-9._~-]; a challenge is
 *   required for public clients, for clients with require_pkce and by a profile (profiles.ts);
 * - token request: with a challenge, code_verifier is required, is 43-128 characters of
 *   [A-Za-z0-9._~-] and its S256 hash equals the challenge; without one, a code_verifier is
 *   refused (a PKCE downgrade).
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4
 */
import { requiresPkce } from "../profiles";
import { base64url } from "../crypto";
import { oauthError } from "../errors";
import { param } from "../http";
import type { ClientRecord } from "../ports";

const UNRESERVED_43_128 = /^[A-Za-z0-9._~-]{43,128}$/;

/** The authorization request's code_challenge, checked; undefined when the client may go without. */
export function validateCodeChallenge(
  form: Map<string, string[]>,
  client: Pick<ClientRecord, "requirePkce" | "tokenEndpointAuthMethod" | "profile">,
): string | undefined {
  const codeChallenge = param(form, "code_challenge");
  const method = param(form, "code_challenge_method");
  if (codeChallenge || method) {
    if (method !== "S256") throw oauthError.invalidRequest("code_challenge_method must be S256 (plain is not supported)");
    if (!codeChallenge || !UNRESERVED_43_128.test(codeChallenge))
      throw oauthError.invalidRequest("code_challenge must be 43 to 128 characters of [A-Za-z0-9._~-]");
    return codeChallenge;
  }
  if (requiresPkce(client)) throw oauthError.invalidRequest("PKCE code_challenge is required");
  return undefined;
}

/** The token request's code_verifier against the code's challenge. */
export async function verifyCodeVerifier(challenge: string | undefined, verifier: string | undefined): Promise<void> {
  if (!challenge) {
    if (verifier) throw oauthError.invalidGrant("code_verifier was given but the authorization request had no code_challenge");
    return;
  }
  if (!verifier) throw oauthError.invalidGrant("missing code_verifier");
  if (!UNRESERVED_43_128.test(verifier)) throw oauthError.invalidRequest("code_verifier must be 43 to 128 characters of [A-Za-z0-9._~-]");
  const digest = base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
  if (digest !== challenge) throw oauthError.invalidGrant("PKCE verification failed");
}
