/**
 * The refresh token grant (RFC 6749 section 6) with rotation (RFC 9700 4.14.2).
 *
 * Rules:
 * - the refresh token must exist, be unexpired and belong to the client;
 * - scope, when given, must be a subset of the original grant, else invalid_scope;
 * - every use rotates: the token is consumed and a successor issued, expiring at the sooner of
 *   now + sliding lifetime and the family's start + absolute lifetime;
 * - a consumed token presented again within the client's grace window gets the same successor
 *   (concurrent requests); later it is reuse: the whole family is revoked and invalid_grant answered;
 * - the user must still exist and not be locked;
 * - a refresh token bound to a DPoP key (a public client's, RFC 9449 5) needs a proof with that
 *   key, else invalid_grant; the new access token is bound to the proof's key.
 */
import { GrantRecordType } from "../constants";
import { randomHandle } from "../crypto";
import { oauthError } from "../errors";
import { param, requireParam, splitSpaced } from "../http";
import { createRefreshToken, issueUserTokens, type UserGrant } from "../tokens/user-tokens";
import { consumeRecord, findRecord, recordKey, type RefreshData } from "../records";
import { grantRevokedForUser, revokeFamily } from "../tokens/family";
import type { GrantHandler } from "./types";

export const refreshToken: GrantHandler = async (ctx, { client, form, dpop }) => {
  const presented = requireParam(form, "refresh_token");
  const key = await recordKey.refreshToken(ctx, presented);
  const grant = await findRecord(ctx, GrantRecordType.refreshToken, key);
  if (!grant) throw oauthError.invalidGrant("refresh token is invalid");
  if (grant.clientId !== client.clientId) throw oauthError.invalidGrant("client mismatch");
  if (grant.expired) throw oauthError.invalidGrant("refresh token is expired");
  const data = grant.data;
  if (await grantRevokedForUser(ctx, data.subject, data.familyCreatedAt)) throw oauthError.invalidGrant("refresh token is revoked");
  if (data.jkt && dpop?.jkt !== data.jkt) throw oauthError.invalidGrant("refresh token is bound to another DPoP key");
  const requested = splitSpaced(param(form, "scope"));
  for (const s of requested) if (!data.scopes.includes(s)) throw oauthError.invalidScope(`refresh token does not allow scope ${s}`);
  const user = await ctx.stores.users.findUser(data.subject);
  if (!user || user.locked) throw oauthError.invalidGrant("the user is unknown or locked");

  const { successor: _previous, nonce: _nonce, ...family } = data;
  const tokenGrant: UserGrant = { ...family, scopes: requested.length ? requested : data.scopes };
  const now = ctx.now();
  const next = randomHandle(32);
  const consumed =
    !grant.consumedAt &&
    (await consumeRecord<typeof GrantRecordType.refreshToken>(ctx, key, {
      ...data,
      successor: await ctx.box.seal(next),
    } satisfies RefreshData));
  if (consumed) {
    await createRefreshToken(ctx, client, family, next);
    return issueUserTokens(ctx, client, tokenGrant, { idToken: true, user, refreshToken: next, dpop });
  }

  // Consumed before: a concurrent request (grace window) or reuse of a stolen token.
  const current = await findRecord(ctx, GrantRecordType.refreshToken, key);
  const sealed = current?.data.successor;
  if (current?.consumedAt && sealed && now - current.consumedAt.getTime() <= client.refreshTokenReuseGrace * 1000) {
    return issueUserTokens(ctx, client, tokenGrant, { idToken: true, user, refreshToken: await ctx.box.open(sealed), dpop });
  }
  const removed = await revokeFamily(ctx, data.familyId);
  await ctx.stores.audit.record({
    type: "refresh_token_reused",
    clientId: client.clientId,
    subject: data.subject,
    details: { tokensRevoked: removed },
  });
  throw oauthError.invalidGrant("refresh token has already been used");
};
