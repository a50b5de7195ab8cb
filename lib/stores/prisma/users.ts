/** The account side of users on Prisma: sign-in lookups and failure counting. */
import type { Db } from "../../db";
import type { LoginAccount, UserAccountStore } from "../../auth/ports";

export function createPrismaUserAccountStore(db: Db): UserAccountStore {
  const select = { id: true, username: true, passwordHash: true, locked: true, lockedUntil: true, failedLoginCount: true } as const;
  return {
    async findByLogin(login): Promise<LoginAccount | null> {
      const byName = await db.user.findUnique({ where: { username: login }, select });
      if (byName) return byName;
      return login.includes("@") ? db.user.findUnique({ where: { email: login.toLowerCase() }, select }) : null;
    },
    async recordFailure(id, lockedUntil) {
      await db.user.update({
        where: { id },
        data: lockedUntil ? { failedLoginCount: 0, lockedUntil } : { failedLoginCount: { increment: 1 } },
      });
    },
    async recordSuccess(id, at) {
      await db.user.update({ where: { id }, data: { failedLoginCount: 0, lockedUntil: null, lastLoginAt: at } });
    },
  };
}
