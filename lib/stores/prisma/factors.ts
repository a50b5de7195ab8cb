/** Second factors on Prisma: authenticator apps, recovery codes, and the passkeys' summaries. */
import type { Db } from "../../db";
import type { FactorStore } from "../../auth/factors/ports";

const isUniqueViolation = (err: unknown) => (err as { code?: string })?.code === "P2002";

export function createPrismaFactorStore(db: Db): FactorStore {
  const userSelect = { id: true, username: true, email: true } as const;
  return {
    getTotp: (userId) => db.totpFactor.findUnique({ where: { userId } }),
    async startTotp(userId, secretSealed, at) {
      // An unconfirmed enrolment is replaced; a confirmed one stays, and the create then fails.
      await db.totpFactor.deleteMany({ where: { userId, confirmedAt: null } });
      try {
        await db.totpFactor.create({ data: { userId, secretSealed, createdAt: at } });
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },
    async confirmTotp(userId, step, at, codeHashes) {
      return db.$transaction(async (tx) => {
        const { count } = await tx.totpFactor.updateMany({
          where: { userId, confirmedAt: null },
          data: { confirmedAt: at, lastStep: step, lastUsedAt: at },
        });
        if (count !== 1) return false;
        await tx.recoveryCode.deleteMany({ where: { userId } });
        await tx.recoveryCode.createMany({ data: codeHashes.map((codeHash) => ({ userId, codeHash, createdAt: at })) });
        return true;
      });
    },
    async useTotpStep(userId, step, at) {
      const { count } = await db.totpFactor.updateMany({
        where: { userId, confirmedAt: { not: null }, lastStep: { lt: step } },
        data: { lastStep: step, lastUsedAt: at },
      });
      return count === 1;
    },
    async removeTotp(userId) {
      return (await db.totpFactor.deleteMany({ where: { userId } })).count > 0;
    },
    async replaceRecoveryCodes(userId, codeHashes, at) {
      await db.$transaction([
        db.recoveryCode.deleteMany({ where: { userId } }),
        db.recoveryCode.createMany({ data: codeHashes.map((codeHash) => ({ userId, codeHash, createdAt: at })) }),
      ]);
    },
    async useRecoveryCode(userId, codeHash, at) {
      const { count } = await db.recoveryCode.updateMany({ where: { userId, codeHash, usedAt: null }, data: { usedAt: at } });
      return count === 1;
    },
    recoveryCodesLeft: (userId) => db.recoveryCode.count({ where: { userId, usedAt: null } }),
    listPasskeys: (userId) =>
      db.passkey.findMany({
        where: { userId },
        select: { id: true, name: true, createdAt: true, lastUsedAt: true },
        orderBy: { createdAt: "asc" },
      }),
    countPasskeys: (userId) => db.passkey.count({ where: { userId } }),
    async resetAll(userId) {
      const [totp, recoveryCodes, passkeys] = await db.$transaction([
        db.totpFactor.deleteMany({ where: { userId } }),
        db.recoveryCode.deleteMany({ where: { userId } }),
        db.passkey.deleteMany({ where: { userId } }),
      ]);
      return { totp: totp.count > 0, recoveryCodes: recoveryCodes.count, passkeys: passkeys.count };
    },
    findUser: (userId) => db.user.findUnique({ where: { id: userId }, select: userSelect }),
    findUserByName: (username) => db.user.findUnique({ where: { username }, select: userSelect }),
  };
}
