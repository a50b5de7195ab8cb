/**
 * The one way a session ends on Prisma: RP-initiated logout, the account's sign-outs, an
 * administrator's revoke or lock, a password reset. Every store method that ends sessions calls it.
 *
 * Rules:
 * - ONE conditional update ends the live sessions that match (revokedAt null) and returns exactly
 *   those rows, so of two concurrent calls each session is ended, and notified, once;
 * - in the same transaction, one LogoutDelivery row per client of each ended session that has a
 *   backchannel_logout_uri is written (Back-Channel Logout 1.0): no ended session is left
 *   without its notifications, and none is notified without having ended;
 * - the rows are due at once; the delivery worker (lib/server/logout-delivery.ts) sends them.
 */
import type { Db } from "../../db";
import type { Prisma } from "../../generated/sqlite/client";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** Ends the live sessions matching `where` at `at`; returns the ids it ended. */
export async function endSessions(db: Db, where: Prisma.SessionWhereInput, at: Date): Promise<string[]> {
  return db.$transaction((tx) => endSessionsIn(tx, where, at));
}

/** The same inside the caller's transaction. */
export async function endSessionsIn(tx: Tx, where: Prisma.SessionWhereInput, at: Date): Promise<string[]> {
  const ended = await tx.session.updateManyAndReturn({
    where: { ...where, revokedAt: null },
    data: { revokedAt: at },
    select: { id: true, userId: true },
  });
  if (!ended.length) return [];
  const links = await tx.sessionClient.findMany({ where: { sessionId: { in: ended.map((s) => s.id) } } });
  const notified = new Set(
    (
      await tx.client.findMany({
        where: { clientId: { in: [...new Set(links.map((l) => l.clientId))] }, backchannelLogoutUri: { not: null } },
        select: { clientId: true },
      })
    ).map((c) => c.clientId),
  );
  const userOf = new Map(ended.map((s) => [s.id, s.userId]));
  const rows = links
    .filter((l) => notified.has(l.clientId))
    .map((l) => ({ sessionId: l.sessionId, userId: userOf.get(l.sessionId)!, clientId: l.clientId, createdAt: at, dueAt: at }));
  if (rows.length) await tx.logoutDelivery.createMany({ data: rows });
  return ended.map((s) => s.id);
}
