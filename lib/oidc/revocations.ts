/**
 * Revoked JWT access tokens and grant families (RFC 7009 2, RFC 6749 4.1.2), held in memory so
 * introspection and userinfo ask no database.
 *
 * Rules:
 * - a token is refused while a record names its jti, or the grant family its jti carries, or
 *   its user with a time at or after the token's iat (`user:<id>@<ms>`: an administrator locked
 *   the user or set their password, and every token and grant from before stays dead, also after
 *   an unlock);
 * - a family record outlives every access token issued from it (MAX_TOKEN_LIFETIME); a user
 *   record outlives every refresh token (USER_RECORD_LIFETIME);
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

/** The grant family a jti carries (familyJti), or undefined for a token of no family. */
export function familyOfJti(jti: string): string | undefined {
  const dot = jti.indexOf(FAMILY_SEPARATOR);
  return dot > 0 ? jti.slice(0, dot) : undefined;
}

/** A year: longer than any refresh token a client is given in practice; the record is one row per admin action. */
export const USER_RECORD_LIFETIME = 366 * 86400;

export interface Revocations {
  /** The token (its jti, its family, or its user before `iat`, in seconds) was revoked. */
  isRevoked(claims: { jti: string; sub: string; iat: number }): Promise<boolean>;
  /** The instant (ms) before which everything issued to the user is revoked, or null. */
  userRevokedBefore(userId: string): Promise<number | null>;
  revokeToken(jti: string, expiresAt: Date): Promise<void>;
  revokeFamily(familyId: string, expiresAt: Date): Promise<void>;
  revokeUser(userId: string, at: number): Promise<void>;
  /** Drop the loaded set (another instance revoked something). */
  invalidate(): void;
}

interface Live {
  keys: Set<string>;
  users: Map<string, number>;
}

function toLive(keys: string[]): Live {
  const users = new Map<string, number>();
  for (const key of keys) {
    if (!key.startsWith("user:")) continue;
    const at = key.lastIndexOf("@");
    const id = key.slice("user:".length, at);
    users.set(id, Math.max(users.get(id) ?? 0, Number(key.slice(at + 1))));
  }
  return { keys: new Set(keys), users };
}

export function createRevocations(store: RevocationStore, now: () => number): Revocations {
  let live: Promise<Live> | null = null;
  const load = () => {
    const loading = store.activeRevocations(new Date(now())).then(toLive);
    loading.catch(() => {
      if (live === loading) live = null;
    });
    return loading;
  };
  const record = async (key: string, expiresAt: Date) => {
    await store.revoke([{ key, expiresAt }]);
    live = null;
  };
  return {
    async isRevoked({ jti, sub, iat }) {
      live ??= load();
      const { keys, users } = await live;
      if (keys.size === 0) return false;
      const dot = jti.indexOf(FAMILY_SEPARATOR);
      if (keys.has(`jti:${jti}`) || (dot > 0 && keys.has(`family:${jti.slice(0, dot)}`))) return true;
      const before = users.get(sub);
      return before !== undefined && iat * 1000 <= before;
    },
    async userRevokedBefore(userId) {
      live ??= load();
      return (await live).users.get(userId) ?? null;
    },
    revokeUser: (userId, at) => record(`user:${userId}@${at}`, new Date(at + USER_RECORD_LIFETIME * 1000)),
    revokeToken: (jti, expiresAt) => record(`jti:${jti}`, expiresAt),
    revokeFamily: (familyId, expiresAt) => record(`family:${familyId}`, expiresAt),
    invalidate() {
      live = null;
    },
  };
}
