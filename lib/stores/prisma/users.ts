/** The account side of users on Prisma: sign-in lookups, and the failure counters. */
import type { Db } from "../../db";
import type { LoginAccount, UserAccountStore } from "../../auth/ports";
import { createPrismaSignInThrottleStore } from "./sign-in-throttle";

export function createPrismaUserAccountStore(db: Db): UserAccountStore {
  const select = { id: true, username: true, passwordHash: true, locked: true } as const;
  return {
    async findByLogin(login): Promise<LoginAccount | null> {
      const byName = await db.user.findUnique({ where: { username: login }, select });
      if (byName) return byName;
      return login.includes("@") ? db.user.findUnique({ where: { email: login.toLowerCase() }, select }) : null;
    },
    async recordSuccess(id, at) {
      await db.user.update({ where: { id }, data: { lastLoginAt: at } });
    },
    throttle: createPrismaSignInThrottleStore(db),
  };
}
