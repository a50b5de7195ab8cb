import { MAX_TOKEN_LIFETIME } from "../config";
import type { ProviderContext } from "../context";

/**
 * Ends a grant family: its stored codes, refresh tokens and reference tokens are deleted, and its
 * JWT access tokens are refused until the longest of them must have expired. Returns how many
 * stored grants were removed.
 */
export async function revokeFamily(ctx: ProviderContext, familyId: string): Promise<number> {
  const removed = await ctx.stores.grants.removeFamily(familyId);
  await ctx.revocations.revokeFamily(familyId, new Date(ctx.now() + MAX_TOKEN_LIFETIME * 1000));
  return removed;
}

/**
 * Revokes everything issued to a user until now (an administrator locked them or set their
 * password): access tokens are refused, and codes and refresh tokens whose grant began before
 * are refused at the token endpoint, also after an unlock. Sessions are the caller's.
 */
export async function revokeUserTokens(ctx: ProviderContext, userId: string): Promise<void> {
  await ctx.revocations.revokeUser(userId, ctx.now());
}

/** The grant (a code or refresh chain that began at `grantStartedAt`, ms) was issued before its user's revocation. */
export async function grantRevokedForUser(ctx: ProviderContext, userId: string, grantStartedAt: number): Promise<boolean> {
  const before = await ctx.revocations.userRevokedBefore(userId);
  return before !== null && grantStartedAt <= before;
}
