/**
 * The authorization code grant (RFC 6749 4.1.3, RFC 7636 4.6, OpenID Connect Core 3.1.3).
 *
 * Rules:
 * - code and redirect_uri are required; the code must exist, be unexpired and belong to the client;
 * - redirect_uri must equal the one of the authorization request;
 * - with a code_challenge, code_verifier must be 43-128 characters whose S256 hash matches;
 *   without one, a code_verifier is refused (PKCE downgrade);
 * - a code is used once: a second use fails with invalid_grant and revokes every token issued
 *   from it (refresh tokens and reference access tokens deleted, JWT access tokens refused);
 * - the user must still exist and not be locked.
 */
import { GrantRecordType } from "../constants";
import { base64url } from "../crypto";
import { InvalidGrant, InvalidRequest } from "../errors";
import { param, requireParam } from "../http";
import { issueUserTokens } from "../tokens/user-tokens";
import { consumeRecord, findRecord, recordKey } from "../records";
import { revokeFamily } from "../tokens/family";
import type { GrantHandler } from "./types";

const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

export const authorizationCode: GrantHandler = async (ctx, { client, form }) => {
  const code = requireParam(form, "code");
  const redirectUri = requireParam(form, "redirect_uri");
  const verifier = param(form, "code_verifier");
  const key = await recordKey.code(code);
  const grant = await findRecord(ctx, GrantRecordType.authorizationCode, key);
  if (!grant) throw new InvalidGrant("authorization code is invalid");
  const data = grant.data;
  if (grant.clientId !== client.clientId) throw new InvalidGrant("client mismatch");
  if (grant.consumedAt) {
    const removed = await revokeFamily(ctx, data.familyId);
    await ctx.stores.audit.record({ type: "authorization_code_replayed", clientId: client.clientId, subject: data.subject, details: { tokensRevoked: removed } });
    throw new InvalidGrant("authorization code has already been used");
  }
  if (grant.expired) throw new InvalidGrant("authorization code is expired");
  if (redirectUri !== data.redirectUri) throw new InvalidGrant("redirect_uri mismatch");
  if (data.codeChallenge) {
    if (!verifier) throw new InvalidGrant("missing code_verifier");
    if (!VERIFIER.test(verifier)) throw new InvalidRequest("code_verifier must be 43 to 128 characters of [A-Za-z0-9._~-]");
    const digest = base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
    if (digest !== data.codeChallenge) throw new InvalidGrant("PKCE verification failed");
  } else if (verifier) {
    throw new InvalidGrant("code_verifier was given but the authorization request had no code_challenge");
  }
  if (!(await consumeRecord(ctx, key))) {
    await revokeFamily(ctx, data.familyId);
    throw new InvalidGrant("authorization code has already been used");
  }
  const user = await ctx.stores.users.findUser(data.subject);
  if (!user || user.locked) throw new InvalidGrant("the user is unknown or locked");
  return issueUserTokens(ctx, client, data, { idToken: true });
};
