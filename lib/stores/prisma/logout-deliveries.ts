/** The back-channel logout outbox on Prisma (rows written by session-end.ts; rules in lib/server/logout-delivery.ts). */
import type { Db } from "../../db";
import type { LogoutDeliveryStore } from "../../server/logout-delivery";

export function createPrismaLogoutDeliveryStore(db: Db): LogoutDeliveryStore {
  const select = { id: true, sessionId: true, userId: true, clientId: true, attempts: true } as const;
  return {
    async claimDue(now, leaseUntil, limit) {
      const due = await db.logoutDelivery.findMany({
        where: { doneAt: null, dueAt: { lte: now } },
        select: { id: true },
        orderBy: { dueAt: "asc" },
        take: limit,
      });
      const claimed = [];
      for (const { id } of due) {
        // The claim: ONE conditional update; of several workers exactly one moves dueAt past now.
        const [row] = await db.logoutDelivery.updateManyAndReturn({
          where: { id, doneAt: null, dueAt: { lte: now } },
          data: { dueAt: leaseUntil, attempts: { increment: 1 } },
          select,
        });
        if (row) claimed.push(row);
      }
      return claimed;
    },
    async retryAt(id, dueAt, error) {
      await db.logoutDelivery.update({ where: { id }, data: { dueAt, lastError: error.slice(0, 500) } });
    },
    async finish(id, at, delivered, error) {
      await db.logoutDelivery.update({ where: { id }, data: { doneAt: at, delivered, lastError: error?.slice(0, 500) ?? null } });
    },
  };
}
