/**
 * The authorization code grant (RFC 6749 4.1.3, RFC 7636 4.6, OpenID Connect Core 3.1.3).
 *
 * Rules:
 * - code and redirect_uri are required; the code must exist, be unexpired and belong to the client;
 * - redirect_uri must equal the one of the authorization request;
 * - the code_verifier as checks/pkce.ts says (S256 of it equals the challenge; none without one);
 * - a code bound to a DPoP key (dpop_jkt, RFC 9449 10) needs a proof of that key;
 * - a code is used once: a second use fails with invalid_grant and revokes every token issued
 *   from it (refresh tokens and reference access tokens deleted, JWT access tokens refused);
 * - the user must still exist and not be locked.
 */
import { GrantRecordType } from "../constants";
import { oauthError } from "../errors";
import { param, requireParam } from "../http";
import { issueUserTokens } from "../tokens/user-tokens";
import { consumeRecord, findRecord, recordKey } from "../records";
import { grantRevokedForUser, revokeFamily } from "../tokens/family";
import { verifyCodeVerifier } from "../checks/pkce";
import type { GrantHandler } from "./types";

export const authorizationCode: GrantHandler = async (ctx, { client, form, dpop }) => {
  const code = requireParam(form, "code");
  const redirectUri = requireParam(form, "redirect_uri");
  const verifier = param(form, "code_verifier");
  const key = await recordKey.code(ctx, code);
  const grant = await findRecord(ctx, GrantRecordType.authorizationCode, key);
  if (!grant) throw oauthError.invalidGrant("authorization code is invalid");
  const data = grant.data;
  if (grant.clientId !== client.clientId) throw oauthError.invalidGrant("client mismatch");
  if (grant.consumedAt) {
    const removed = await revokeFamily(ctx, data.familyId);
    await ctx.stores.audit.record({
      type: "authorization_code_replayed",
      clientId: client.clientId,
      subject: data.subject,
      details: { tokensRevoked: removed },
    });
    throw oauthError.invalidGrant("authorization code has already been used");
  }
  if (grant.expired) throw oauthError.invalidGrant("authorization code is expired");
  if (await grantRevokedForUser(ctx, data.subject, data.familyCreatedAt)) throw oauthError.invalidGrant("authorization code is revoked");
  if (redirectUri !== data.redirectUri) throw oauthError.invalidGrant("redirect_uri mismatch");
  await verifyCodeVerifier(data.codeChallenge, verifier);
  if (data.dpopJkt && dpop?.jkt !== data.dpopJkt) throw oauthError.invalidGrant("authorization code is bound to another DPoP key");
  if (!(await consumeRecord(ctx, key))) {
    await revokeFamily(ctx, data.familyId);
    throw oauthError.invalidGrant("authorization code has already been used");
  }
  const user = await ctx.stores.users.findUser(data.subject);
  if (!user || user.locked) throw oauthError.invalidGrant("the user is unknown or locked");
  return issueUserTokens(ctx, client, data, { idToken: true, user, dpop });
};
