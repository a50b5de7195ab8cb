/**
 * Deletes what has expired, so that storage does not grow with traffic.
 *
 * Rules:
 * - interactions (login and consent pages waiting), codes, refresh and reference tokens and
 *   remembered consents go once expired; a code or refresh token that was used is kept
 *   retention.usedGrantGrace (1 day) longer, so that a late replay is still recognised and revokes
 *   what was issued from it; consents without an expiry stay;
 * - sessions go once expired, or usedGrantGrace after they were revoked;
 * - replay guards (client assertion jti), token revocation records (their tokens have expired),
 *   sign-in failure counters and shared rate-limit counters go once expired;
 * - audit events go after retention.auditDays (90; 0 keeps them forever);
 * - mail kept in the outbox (no SMTP configured) goes after OUTBOX_DAYS (7), and so do
 *   back-channel logout deliveries OUTBOX_DAYS after they were delivered or given up (pending ones stay);
 * - on PostgreSQL one instance sweeps at a time: the sweep runs in a transaction holding
 *   pg_try_advisory_xact_lock, and an instance that does not get it skips the round (returns
 *   null); SQLite has one instance;
 * - the clock is injected (tests move it; the server uses Date.now).
 */
import { GrantRecordType } from "../../oidc";
import type { RetentionSettings } from "../../oidc";
import type { Db, DbProvider } from "../../db";

export interface SweepCounts {
  interactions: number;
  grants: number;
  sessions: number;
  replayGuards: number;
  revocations: number;
  auditEvents: number;
  signInCounters: number;
  rateLimitCounters: number;
  outboxMessages: number;
  logoutDeliveries: number;
}

export interface Sweeper {
  /** One round; null when another instance holds the sweep lock. */
  sweep(): Promise<SweepCounts | null>;
}

/** pg_advisory lock ids are shared by every client of the database: one of our own (migrate.ts uses ...369). */
export const SWEEP_LOCK_ID = 72707370;

/** days the outbox keeps a message */
export const OUTBOX_DAYS = 7;

type Tx = Pick<
  Db,
  | "persistedGrant"
  | "session"
  | "replayGuard"
  | "tokenRevocation"
  | "auditEvent"
  | "loginThrottle"
  | "rateLimit"
  | "outboxMessage"
  | "logoutDelivery"
>;

export function createSweeper(db: Db, provider: DbProvider, options: { retention: RetentionSettings; now?: () => number }): Sweeper {
  const now = options.now ?? Date.now;
  return {
    async sweep() {
      const at = now();
      if (provider === "sqlite") return deleteExpired(db, at, options.retention);
      return db.$transaction(
        async (tx) => {
          const [row] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${SWEEP_LOCK_ID}) AS locked`;
          if (!row?.locked) return null;
          return deleteExpired(tx, at, options.retention);
        },
        { maxWait: 10_000, timeout: 5 * 60_000 },
      );
    },
  };
}

async function deleteExpired(db: Tx, at: number, r: RetentionSettings): Promise<SweepCounts> {
  const now = new Date(at);
  const graceAgo = new Date(at - r.usedGrantGrace * 1000);
  const interactions = await db.persistedGrant.deleteMany({ where: { type: GrantRecordType.interaction, expiresAt: { lte: now } } });
  const grants = await db.persistedGrant.deleteMany({
    where: {
      type: { not: GrantRecordType.interaction },
      OR: [
        { consumedAt: null, expiresAt: { lte: now } },
        { consumedAt: { not: null }, expiresAt: { lte: graceAgo } },
      ],
    },
  });
  const sessions = await db.session.deleteMany({ where: { OR: [{ expiresAt: { lte: now } }, { revokedAt: { lte: graceAgo } }] } });
  const replayGuards = await db.replayGuard.deleteMany({ where: { expiresAt: { lte: now } } });
  const revocations = await db.tokenRevocation.deleteMany({ where: { expiresAt: { lte: now } } });
  const auditEvents =
    r.auditDays > 0
      ? await db.auditEvent.deleteMany({ where: { createdAt: { lt: new Date(at - r.auditDays * 86_400_000) } } })
      : { count: 0 };
  const signInCounters = await db.loginThrottle.deleteMany({ where: { expiresAt: { lte: BigInt(at) } } });
  const rateLimitCounters = await db.rateLimit.deleteMany({ where: { expire: { lte: BigInt(at) } } });
  const outboxMessages = await db.outboxMessage.deleteMany({ where: { createdAt: { lt: new Date(at - OUTBOX_DAYS * 86_400_000) } } });
  const logoutDeliveries = await db.logoutDelivery.deleteMany({ where: { doneAt: { lt: new Date(at - OUTBOX_DAYS * 86_400_000) } } });
  return {
    interactions: interactions.count,
    grants: grants.count,
    sessions: sessions.count,
    replayGuards: replayGuards.count,
    revocations: revocations.count,
    auditEvents: auditEvents.count,
    signInCounters: signInCounters.count,
    rateLimitCounters: rateLimitCounters.count,
    outboxMessages: outboxMessages.count,
    logoutDeliveries: logoutDeliveries.count,
  };
}
