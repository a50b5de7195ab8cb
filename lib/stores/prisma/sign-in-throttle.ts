/**
 * The sign-in failure counters (lib/auth/throttle.ts) on Prisma, SQLite or PostgreSQL. A claim
 * is one INSERT ... ON CONFLICT DO UPDATE ... WHERE ... RETURNING: the database counts the
 * attempt and decides whether it may proceed in the same statement, so neither concurrent
 * requests nor other instances can act on a stale count. Times are epoch milliseconds (BIGINT),
 * compared in SQL the same way on both databases.
 */
import { Prisma } from "../../generated/sqlite/client";
import type { Db } from "../../db";
import type { SignInThrottleStore, ThrottleRule } from "../../auth/ports";
import { nameThrottleKeys } from "../../auth/throttle";

const T = Prisma.raw(`"LoginThrottle"`);
const ms = (v: number) => Prisma.sql`CAST(${BigInt(Math.round(v))} AS BIGINT)`;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** blockedUntil after failure number `failures` (an SQL expression), as a CASE over the schedule. */
function blockedAfter(failures: Prisma.Sql, rule: ThrottleRule, now: number): Prisma.Sql {
  const steps = rule.delays.slice(0, -1).map((d, i) => Prisma.sql`WHEN ${failures} = ${rule.free + i} THEN ${ms(now + d)} `);
  return Prisma.sql`CASE WHEN ${failures} < ${rule.free} THEN NULL ${steps.length ? Prisma.join(steps, " ") : Prisma.empty}ELSE ${ms(now + rule.delays.at(-1)!)} END`;
}

/** The same for a constant count, computed here (a new or forgotten counter starts at 1). */
function blockedAt(failures: number, rule: ThrottleRule, now: number): number | null {
  if (failures < rule.free) return null;
  return now + rule.delays[Math.min(failures - rule.free, rule.delays.length - 1)]!;
}

export function createPrismaSignInThrottleStore(db: Db): SignInThrottleStore {
  return {
    async claim(key, rule, now) {
      const first = blockedAt(1, rule, now);
      const stale = Prisma.sql`${T}."expiresAt" <= ${ms(now)}`;
      const rows = await db.$queryRaw<{ failures: unknown; blockedUntil: unknown }[]>`
        INSERT INTO ${T} ("key", "failures", "blockedUntil", "expiresAt")
        VALUES (${key}, 1, ${first === null ? Prisma.sql`NULL` : ms(first)}, ${ms(now + rule.forgetAfter)})
        ON CONFLICT ("key") DO UPDATE SET
          "failures" = CASE WHEN ${stale} THEN 1 ELSE ${T}."failures" + 1 END,
          "blockedUntil" = CASE WHEN ${stale} THEN ${first === null ? Prisma.sql`NULL` : ms(first)} ELSE ${blockedAfter(Prisma.sql`(${T}."failures" + 1)`, rule, now)} END,
          "expiresAt" = ${ms(now + rule.forgetAfter)}
        WHERE ${T}."blockedUntil" IS NULL OR ${T}."blockedUntil" <= ${ms(now)}
        RETURNING "failures", "blockedUntil"`;
      const row = rows[0];
      if (row) return { allowed: true, failures: Number(row.failures), blockedUntil: num(row.blockedUntil) };
      // Refused: the wait is only reported, the decision was the statement's.
      const waiting = await db.loginThrottle.findUnique({ where: { key }, select: { blockedUntil: true } });
      return { allowed: false, retryAt: num(waiting?.blockedUntil) ?? now };
    },
    async release(key, rule) {
      await db.$executeRaw`
        UPDATE ${T} SET
          "blockedUntil" = CASE WHEN "failures" - 1 < ${rule.free} THEN NULL ELSE "blockedUntil" END,
          "failures" = "failures" - 1
        WHERE "key" = ${key} AND "failures" > 0`;
    },
    async clear(keys) {
      if (keys.length) await db.loginThrottle.deleteMany({ where: { key: { in: keys } } });
    },
  };
}

/**
 * Forgets the failure counters of a user's username and email, from every address: an
 * administrator unlocked the account or set its password.
 */
export async function clearUserThrottle(db: Db, username: string): Promise<void> {
  const user = await db.user.findUnique({ where: { username }, select: { username: true, email: true } });
  if (!user) return;
  const keys = [user.username, user.email].filter((v): v is string => Boolean(v)).map(nameThrottleKeys);
  await db.loginThrottle.deleteMany({ where: { OR: keys.flatMap((k) => [{ key: k.name }, { key: { startsWith: k.perAddressPrefix } }]) } });
}
