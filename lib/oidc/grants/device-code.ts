/**
 * The device code grant (RFC 8628 3.4, 3.5): the device polls the token endpoint with its
 * device_code until the user has decided on the verification page.
 *
 * Rules, in order:
 * - device_code is required (at most 200 characters); it must exist and belong to the client
 *   (invalid_grant), not be used (invalid_grant) nor expired (expired_token);
 * - a poll sooner than the interval answers slow_down, and the interval grows by 5 seconds for
 *   this and every later poll (the store decides in one conditional update: of two concurrent
 *   polls at most one goes on); a poll that arrives up to a fifth of the interval (at most a
 *   second) early still counts as on time, so a punctual device is not punished for a late
 *   previous request;
 * - while the user has not decided: authorization_pending; a denial: access_denied;
 * - an approval gives the tokens the authorization code grant gives (tokens/user-tokens.ts),
 *   once: the device code is consumed atomically, a second poll gets invalid_grant;
 * - the user must still exist and not be locked, the grant not be revoked.
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.5
 */
import { GrantRecordType, SLOW_DOWN_SECONDS } from "../constants";
import { oauthError } from "../errors";
import { requireParam } from "../http";
import { consumeRecord, findRecord, recordKey } from "../records";
import { grantRevokedForUser } from "../tokens/family";
import { issueUserTokens } from "../tokens/user-tokens";
import type { GrantHandler } from "./types";

const USED = "device code has already been used";

export const deviceCode: GrantHandler = async (ctx, { client, form, dpop }) => {
  const presented = requireParam(form, "device_code");
  if (presented.length > 200) throw oauthError.invalidGrant("device code is invalid");
  const key = await recordKey.deviceCode(ctx, presented);
  const device = await findRecord(ctx, GrantRecordType.deviceCode, key);
  if (!device) throw oauthError.invalidGrant("device code is invalid");
  if (device.clientId !== client.clientId) throw oauthError.invalidGrant("client mismatch");
  if (device.consumedAt) throw oauthError.invalidGrant(USED);
  if (device.expired) throw oauthError.expiredToken("device code is expired");

  const now = ctx.now();
  const interval = device.pollInterval ?? client.devicePollInterval;
  const early = Math.min(1000, interval * 200);
  const decision = await ctx.stores.grants.pollGrant(key, new Date(now), new Date(now + interval * 1000 - early), SLOW_DOWN_SECONDS);
  if (decision === "gone") throw oauthError.invalidGrant(USED);
  if (decision === "slow_down")
    throw oauthError.slowDown(`polling too fast: wait ${interval + SLOW_DOWN_SECONDS} seconds between requests`);

  const request = await findRecord(ctx, GrantRecordType.userCode, device.data.userCodeKey);
  const decided = request?.consumedAt ? request.data.decision : undefined;
  if (!decided) throw oauthError.authorizationPending("the user has not yet approved the request");
  if (!decided.approved) throw oauthError.accessDenied("the user denied the request");
  const grant = decided.grant;
  if (await grantRevokedForUser(ctx, grant.subject, grant.familyCreatedAt)) throw oauthError.invalidGrant("device code is revoked");
  if (!(await consumeRecord(ctx, key))) throw oauthError.invalidGrant(USED);
  const user = await ctx.stores.users.findUser(grant.subject);
  if (!user || user.locked) throw oauthError.invalidGrant("the user is unknown or locked");
  return issueUserTokens(ctx, client, grant, { idToken: true, user, dpop });
};
