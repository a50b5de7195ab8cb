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
