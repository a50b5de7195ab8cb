/** The account area's store on Prisma: the signed-in user's own sessions and granted apps. */
import type { Db } from "../../db";
import type { AccountStore, UnlinkResult } from "../../account/ports";
import { GrantRecordType } from "../../oidc";
import { writeConfig } from "./index";
import { endSessions } from "./session-end";

const USER_GRANTS = [
  GrantRecordType.consent,
  GrantRecordType.authorizationCode,
  GrantRecordType.refreshToken,
  GrantRecordType.referenceToken,
];
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

export function createPrismaAccountStore(db: Db, kind: "sqlite" | "postgresql"): AccountStore {
  const active = (userId: string, now: Date) => ({ userId, revokedAt: null, expiresAt: { gt: now } });
  return {
    async listSessions(userId, now) {
      return db.session.findMany({
        where: active(userId, now),
        select: { id: true, authTime: true, lastSeenAt: true, ipAddress: true, userAgent: true, expiresAt: true },
        orderBy: [{ authTime: "desc" }, { id: "asc" }],
        take: 100,
      });
    },
    async revokeSession(userId, sessionId, at) {
      return (await endSessions(db, { id: sessionId, ...active(userId, at) }, at)).length === 1;
    },
    async revokeOtherSessions(userId, keepId, at) {
      return (await endSessions(db, { ...active(userId, at), id: { not: keepId } }, at)).length;
    },
    async listConsents(userId) {
      const rows = await db.persistedGrant.findMany({
        where: { subjectId: userId, type: GrantRecordType.consent },
        select: { clientId: true, data: true, createdAt: true },
        orderBy: [{ createdAt: "desc" }, { clientId: "asc" }],
        take: 200,
      });
      return rows.map((r) => ({ clientId: r.clientId, scopes: strings((r.data as { scopes?: unknown }).scopes), grantedAt: r.createdAt }));
    },
    async removeClientGrants(userId, clientId) {
      return db.$transaction(async (tx) => {
        const where = { subjectId: userId, clientId, type: { in: USER_GRANTS } };
        const families = await tx.persistedGrant.findMany({
          where: { ...where, familyId: { not: null } },
          select: { familyId: true },
          distinct: ["familyId"],
        });
        const { count } = await tx.persistedGrant.deleteMany({ where });
        return { removed: count, familyIds: families.flatMap((f) => (f.familyId ? [f.familyId] : [])) };
      });
    },
    async listLinks(userId) {
      return db.externalLogin.findMany({
        where: { userId },
        select: { id: true, provider: true, displayName: true, email: true, createdAt: true, lastUsedAt: true },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        take: 100,
      });
    },
    async unlink(userId, linkId) {
      const remove = (q: Pick<Db, "$executeRaw">) => q.$executeRaw`
          DELETE FROM "ExternalLogin" WHERE "id" = ${linkId} AND "userId" = ${userId}
          AND (EXISTS (SELECT 1 FROM "User" WHERE "id" = ${userId} AND "passwordHash" IS NOT NULL)
            OR EXISTS (SELECT 1 FROM "ExternalLogin" WHERE "userId" = ${userId} AND "id" <> ${linkId}))`;
      const reason = async (q: Pick<Db, "externalLogin">): Promise<UnlinkResult> =>
        (await q.externalLogin.count({ where: { id: linkId, userId } })) ? "last_login" : "not_found";
      // SQLite runs one writer at a time: the one conditional delete decides alone.
      if (kind === "sqlite") return (await remove(db)) === 1 ? "unlinked" : reason(db);
      // PostgreSQL (read committed): the user's row lock first, so a concurrent unlink of the same
      // user waits and its delete then sees this one's result (no write skew on the last two links).
      return db.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT "id" FROM "User" WHERE "id" = ${userId} FOR UPDATE`;
        return (await remove(tx)) === 1 ? "unlinked" : reason(tx);
      });
    },
    async updateClaims(userId, set, remove) {
      const now = new Date();
      const rows = await writeConfig(
        db,
        async (tx) =>
          kind === "sqlite"
            ? // json_patch (RFC 7396): a null member removes the claim, the others are kept.
              tx.$queryRaw<{ claims: string }[]>`
                UPDATE "User" SET "claims" = json_patch("claims", ${JSON.stringify({ ...set, ...Object.fromEntries(remove.map((k) => [k, null])) })}),
                "updatedAt" = ${now.toISOString().replace("Z", "+00:00")} WHERE "id" = ${userId} RETURNING "claims"`
            : tx.$queryRaw<{ claims: Record<string, unknown> }[]>`
                UPDATE "User" SET "claims" = ("claims" - ${remove}::text[]) || ${JSON.stringify(set)}::jsonb,
                "updatedAt" = ${now.toISOString()}::timestamp WHERE "id" = ${userId} RETURNING "claims"`,
        (r) => r.length > 0,
      );
      const claims = rows[0]?.claims;
      if (claims === undefined) return null;
      return (typeof claims === "string" ? JSON.parse(claims) : claims) as Record<string, unknown>;
    },
    async passwordHash(userId) {
      return (await db.user.findUnique({ where: { id: userId }, select: { passwordHash: true } }))?.passwordHash ?? null;
    },
    async replacePassword(userId, hash, expected) {
      const { count } = await db.user.updateMany({ where: { id: userId, passwordHash: expected }, data: { passwordHash: hash } });
      return count === 1;
    },
    async reauthenticate(userId, sessionId, at, amr) {
      const { count } = await db.session.updateMany({ where: { id: sessionId, ...active(userId, at) }, data: { authTime: at, amr } });
      return count === 1;
    },
    async listEvents(userId, types, limit) {
      const rows = await db.auditEvent.findMany({
        where: { subject: userId, type: { in: [...types] } },
        select: { id: true, type: true, createdAt: true, ipAddress: true, clientId: true, details: true },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: Math.min(limit, 100),
      });
      return rows.map((r) => ({
        id: r.id,
        type: r.type,
        at: r.createdAt,
        ipAddress: r.ipAddress,
        clientId: r.clientId,
        details: (r.details ?? {}) as Record<string, unknown>,
      }));
    },
    async sessionOrigins(userId, ids) {
      if (ids.length === 0) return [];
      return db.session.findMany({
        where: { userId, id: { in: ids.slice(0, 100) } },
        select: { id: true, ipAddress: true, userAgent: true },
      });
    },
  };
}
