/** The account side of users on Prisma: sign-in lookups, and the failure counters. */
import type { Db } from "../../db";
import type { LoginAccount, UserAccountStore } from "../../auth/ports";
import { createPrismaSignInThrottleStore } from "./sign-in-throttle";

export function createPrismaUserAccountStore(db: Db): UserAccountStore {
  const select = {
    id: true,
    username: true,
    passwordHash: true,
    locked: true,
    email: true,
    pendingEmail: true,
    emailVerified: true,
  } as const;
  type Row = {
    id: string;
    username: string;
    passwordHash: string | null;
    locked: boolean;
    email: string | null;
    pendingEmail: string | null;
    emailVerified: boolean;
  };
  // A sign-up that must verify first keeps its own address as the pending one (lib/lifecycle/ports.ts).
  const toAccount = ({ email, pendingEmail, emailVerified, ...a }: Row): LoginAccount => ({
    ...a,
    awaitingVerification: !emailVerified && email !== null && pendingEmail === email,
  });
  return {
    async findByLogin(login): Promise<LoginAccount | null> {
      const byName = await db.user.findUnique({ where: { username: login }, select });
      if (byName) return toAccount(byName);
      const byEmail = login.includes("@") ? await db.user.findUnique({ where: { email: login.toLowerCase() }, select }) : null;
      return byEmail && toAccount(byEmail);
    },
    async recordSuccess(id, at) {
      await db.user.update({ where: { id }, data: { lastLoginAt: at } });
    },
    throttle: createPrismaSignInThrottleStore(db),
  };
}
