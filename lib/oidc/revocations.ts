/**
 * Revoked JWT access tokens and grant families (RFC 7009 2, RFC 6749 4.1.2), held in memory so
 * introspection and userinfo ask no database.
 *
 * Rules:
 * - a token is refused while a record names its jti, or the grant family its jti carries;
 * - a family record outlives every access token issued from it (MAX_TOKEN_LIFETIME);
 * - this instance sees its own revocations at once; other instances when the change feed's
 *   "revocations" counter moves (about a second); the live set is then reloaded whole: it holds
 *   only tokens revoked before they expired, so it stays small.
 */
import type { RevocationStore } from "./ports";

const FAMILY_SEPARATOR = ".";

/**
 * The jti of an access token issued from a grant family: `<family>.<random>`. The family part
 * lets a whole family be refused without a record per token; jti stays opaque to everyone else.
 */
export function familyJti(familyId: string, random: string): string {
  return familyId + FAMILY_SEPARATOR + random;
}

export interface Revocations {
  isRevoked(jti: string): Promise<boolean>;
  revokeToken(jti: string, expiresAt: Date): Promise<void>;
  revokeFamily(familyId: string, expiresAt: Date): Promise<void>;
  /** Drop the loaded set (another instance revoked something). */
  invalidate(): void;
}

export function createRevocations(store: RevocationStore, now: () => number): Revocations {
  let live: Promise<Set<string>> | null = null;
  const load = () => {
    const loading = store.activeRevocations(new Date(now())).then((keys) => new Set(keys));
    loading.catch(() => { if (live === loading) live = null; });
    return loading;
  };
  const record = async (key: string, expiresAt: Date) => {
    await store.revoke([{ key, expiresAt }]);
    live = null;
  };
  return {
    async isRevoked(jti) {
      live ??= load();
      const set = await live;
      if (set.size === 0) return false;
      const dot = jti.indexOf(FAMILY_SEPARATOR);
      return set.has(`jti:${jti}`) || (dot > 0 && set.has(`family:${jti.slice(0, dot)}`));
    },
    revokeToken: (jti, expiresAt) => record(`jti:${jti}`, expiresAt),
    revokeFamily: (familyId, expiresAt) => record(`family:${familyId}`, expiresAt),
    invalidate() { live = null; },
  };
}
