import { afterAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createDb, sqlitePath, type Db } from "@/lib/db";
import { DEFAULT_RETENTION } from "@/lib/oidc/config";
import { createSqliteHotStores } from "@/lib/stores/sqlite";
import { createSweeper, SWEEP_LOCK_ID } from "@/lib/stores/prisma/sweeper";
import { databaseKinds } from "../helpers/databases";
import { databasePool } from "../helpers/prisma-provider";

const pool = databasePool();
afterAll(() => pool.dropAll());

const NOW = Date.UTC(2026, 5, 1);
const ago = (seconds: number) => new Date(NOW - seconds * 1000);
const ahead = (seconds: number) => new Date(NOW + seconds * 1000);
const DAY = 86_400;

/** One expired and one live row of every kind the sweeper knows; returns the keys that must stay. */
async function fill(db: Db) {
  const grant = (key: string, type: string, expiresAt: Date | null, consumedAt: Date | null = null) =>
    db.persistedGrant.create({ data: { key, type, clientId: "c", data: {}, expiresAt, consumedAt } });
  await grant("interaction:old", "interaction", ago(1));
  await grant("interaction:live", "interaction", ahead(600));
  await grant("code:unused-expired", "authorization_code", ago(1));
  await grant("code:used-recently", "authorization_code", ago(60), ago(90));
  await grant("code:used-long-ago", "authorization_code", ago(DAY + 60), ago(DAY + 90));
  await grant("refresh:live", "refresh_token", ahead(DAY));
  await grant("reference:expired", "reference_token", ago(3600));
  await grant("consent:forever", "consent", null);
  await db.user.create({ data: { id: "u1", username: "u1", claims: {}, roles: [] } });
  const session = (key: string, expiresAt: Date, revokedAt: Date | null = null) =>
    db.session.create({ data: { key, userId: "u1", authTime: ago(10), amr: [], clients: [], expiresAt, revokedAt } });
  await session("s-expired", ago(1));
  await session("s-live", ahead(3600));
  await session("s-revoked-long-ago", ahead(3600), ago(DAY + 1));
  await session("s-revoked-recently", ahead(3600), ago(60));
  await db.replayGuard.createMany({
    data: [
      { key: "jti-old", expiresAt: ago(1) },
      { key: "jti-live", expiresAt: ahead(60) },
    ],
  });
  await db.tokenRevocation.createMany({
    data: [
      { key: "jti:old", expiresAt: ago(1) },
      { key: "family:live", expiresAt: ahead(60) },
    ],
  });
  await db.auditEvent.createMany({
    data: [
      { type: "old", details: {}, createdAt: ago(91 * DAY) },
      { type: "recent", details: {}, createdAt: ago(89 * DAY) },
    ],
  });
  await db.loginThrottle.createMany({
    data: [
      { key: "n:old", failures: 3, expiresAt: BigInt(NOW - 1) },
      { key: "n:live", failures: 3, expiresAt: BigInt(NOW + 60_000) },
    ],
  });
  await db.rateLimit.createMany({
    data: [
      { key: "token.ip:old", points: 3, expire: BigInt(NOW - 1) },
      { key: "token.ip:live", points: 3, expire: BigInt(NOW + 1000) },
    ],
  });
  const delivery = (clientId: string, doneAt: Date | null) => ({
    sessionId: "s",
    userId: "u1",
    clientId,
    dueAt: ago(8 * DAY),
    createdAt: ago(8 * DAY),
    doneAt,
  });
  await db.logoutDelivery.createMany({
    data: [delivery("done-long-ago", ago(8 * DAY)), delivery("done-recently", ago(6 * DAY)), delivery("pending", null)],
  });
}

async function remaining(db: Db) {
  return {
    grants: (await db.persistedGrant.findMany({ orderBy: { key: "asc" } })).map((g) => g.key),
    sessions: (await db.session.findMany({ orderBy: { key: "asc" } })).map((s) => s.key),
    replay: (await db.replayGuard.findMany()).map((r) => r.key),
    revocations: (await db.tokenRevocation.findMany()).map((r) => r.key),
    audit: (await db.auditEvent.findMany()).map((e) => e.type),
    throttle: (await db.loginThrottle.findMany()).map((t) => t.key),
    rateLimits: (await db.rateLimit.findMany()).map((t) => t.key),
    logoutDeliveries: (await db.logoutDelivery.findMany({ orderBy: { clientId: "asc" } })).map((d) => d.clientId),
  };
}

const KEPT = {
  grants: ["code:used-recently", "consent:forever", "interaction:live", "refresh:live"],
  sessions: ["s-live", "s-revoked-recently"],
  replay: ["jti-live"],
  revocations: ["family:live"],
  audit: ["recent"],
  throttle: ["n:live"],
  rateLimits: ["token.ip:live"],
  logoutDeliveries: ["done-recently", "pending"],
};

for (const kind of databaseKinds) {
  describe(`sweeper (${kind})`, () => {
    async function setup() {
      const database = await pool.create(kind);
      const db = database.track(createDb(database.url));
      await fill(db);
      return { db, database };
    }

    it("deletes expired rows of every kind and keeps live ones", async () => {
      const { db } = await setup();
      const sweeper = createSweeper(db, kind, { retention: DEFAULT_RETENTION, now: () => NOW });
      expect(await sweeper.sweep()).toEqual({
        interactions: 1,
        grants: 3,
        sessions: 2,
        replayGuards: 1,
        revocations: 1,
        auditEvents: 1,
        signInCounters: 1,
        rateLimitCounters: 1,
        outboxMessages: 0,
        logoutDeliveries: 1,
      });
      expect(await remaining(db)).toEqual(KEPT);
      expect(await sweeper.sweep()).toEqual({
        interactions: 0,
        grants: 0,
        sessions: 0,
        replayGuards: 0,
        revocations: 0,
        auditEvents: 0,
        signInCounters: 0,
        rateLimitCounters: 0,
        outboxMessages: 0,
        logoutDeliveries: 0,
      });
    });

    it("keeps audit events forever with a retention of 0 days", async () => {
      const { db } = await setup();
      await createSweeper(db, kind, { retention: { ...DEFAULT_RETENTION, auditDays: 0 }, now: () => NOW }).sweep();
      expect((await remaining(db)).audit.sort()).toEqual(["old", "recent"]);
    });

    if (kind === "sqlite") {
      it("compares the dates the SQLite hot-path store writes like Prisma's", async () => {
        const { db, database } = await setup();
        const hot = createSqliteHotStores(sqlitePath(database.url));
        try {
          await hot.grants.saveGrant({
            key: "interaction:hot-old",
            type: "interaction",
            clientId: "c",
            subjectId: null,
            familyId: null,
            data: {},
            expiresAt: ago(1),
            consumedAt: null,
          });
          await hot.grants.saveGrant({
            key: "interaction:hot-live",
            type: "interaction",
            clientId: "c",
            subjectId: null,
            familyId: null,
            data: {},
            expiresAt: ahead(1),
            consumedAt: null,
          });
        } finally {
          hot.close();
        }
        await createSweeper(db, kind, { retention: DEFAULT_RETENTION, now: () => NOW }).sweep();
        expect((await remaining(db)).grants).toEqual([
          "code:used-recently",
          "consent:forever",
          "interaction:hot-live",
          "interaction:live",
          "refresh:live",
        ]);
      });
    }

    if (kind === "postgresql") {
      // Issue 8 item 5: one instance sweeps at a time. Another session holding the lock stands
      // for an instance in the middle of a sweep; the lock is held, not raced.
      it("skips the round while another instance holds the sweep lock", async () => {
        const { db, database } = await setup();
        const other = new pg.Client({ connectionString: database.url });
        await other.connect();
        try {
          await other.query("SELECT pg_advisory_lock($1)", [SWEEP_LOCK_ID]);
          const sweeper = createSweeper(db, kind, { retention: DEFAULT_RETENTION, now: () => NOW });
          expect(await sweeper.sweep()).toBeNull();
          expect((await remaining(db)).grants).toContain("interaction:old");
          await other.query("SELECT pg_advisory_unlock($1)", [SWEEP_LOCK_ID]);
          expect((await sweeper.sweep())!.interactions).toBe(1);
        } finally {
          await other.end();
        }
      });
    }
  });
}
