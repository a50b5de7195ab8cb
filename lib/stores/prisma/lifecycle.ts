/** The account lifecycle's reads and writes on Prisma (lib/lifecycle/ports.ts has the rules). */
import type { Db } from "../../db";
import type { Prisma } from "../../generated/sqlite/client";
import type { LifecycleStore, LifecycleUser } from "../../lifecycle/ports";
import { bumpChange, isUniqueViolation } from "./index";
import { endSessions } from "./session-end";

const select = {
  id: true,
  username: true,
  email: true,
  emailVerified: true,
  pendingEmail: true,
  passwordHash: true,
  locked: true,
} as const;

type Row = {
  id: string;
  username: string;
  email: string | null;
  emailVerified: boolean;
  pendingEmail: string | null;
  passwordHash: string | null;
  locked: boolean;
};
const toUser = (r: Row | null): LifecycleUser | null =>
  r && {
    id: r.id,
    username: r.username,
    email: r.email,
    emailVerified: r.emailVerified,
    pendingEmail: r.pendingEmail,
    hasPassword: r.passwordHash !== null,
    locked: r.locked,
  };

/** Which unique field a P2002 names (the target is a field list, or the index name). */
function takenField(err: unknown): "username" | "email" {
  const target = JSON.stringify((err as { meta?: unknown }).meta ?? "");
  return target.includes("email") ? "email" : "username";
}

export function createPrismaLifecycleStore(db: Db): LifecycleStore {
  return {
    async findUser(id) {
      return toUser(await db.user.findUnique({ where: { id }, select }));
    },
    async findByLogin(login) {
      const byName = await db.user.findUnique({ where: { username: login }, select });
      if (byName) return toUser(byName);
      return login.includes("@") ? toUser(await db.user.findUnique({ where: { email: login.toLowerCase() }, select })) : null;
    },
    async findByEmail(email) {
      return toUser(await db.user.findUnique({ where: { email: email.toLowerCase() }, select }));
    },
    async createUser(u) {
      try {
        const row = await db.user.create({
          data: {
            username: u.username,
            email: u.email,
            emailVerified: false,
            pendingEmail: u.awaitingVerification ? u.email : null,
            passwordHash: u.passwordHash,
            passwordChangedAt: u.at,
            claims: u.claims as Prisma.InputJsonValue,
            roles: [],
          },
          select: { id: true },
        });
        return { ok: true, id: row.id };
      } catch (err) {
        if (isUniqueViolation(err)) return { ok: false, taken: takenField(err) };
        throw err;
      }
    },
    async addToken(t) {
      await db.userActionToken.create({ data: t });
    },
    async peekToken(tokenHash, purpose, now) {
      const row = await db.userActionToken.findUnique({ where: { tokenHash } });
      if (!row || row.purpose !== purpose || row.usedAt || row.expiresAt <= now) return null;
      return { userId: row.userId, email: row.email };
    },
    async consumeToken(tokenHash, purpose, now) {
      const { count } = await db.userActionToken.updateMany({
        where: { tokenHash, purpose, usedAt: null, expiresAt: { gt: now } },
        data: { usedAt: now },
      });
      if (count !== 1) return null;
      const row = await db.userActionToken.findUnique({ where: { tokenHash }, select: { userId: true, email: true } });
      return row;
    },
    async countTokensSince(userId, purpose, since) {
      return db.userActionToken.count({ where: { userId, purpose, createdAt: { gte: since } } });
    },
    async retireTokens(userId, purpose, at) {
      await db.userActionToken.updateMany({ where: { userId, purpose, usedAt: null }, data: { usedAt: at } });
    },
    async verifyEmail(userId, email) {
      try {
        return await db.$transaction(async (tx) => {
          // The pending address replaces the email; a link to the current address only proves it.
          const swapped = await tx.user.updateMany({
            where: { id: userId, pendingEmail: email },
            data: { email, emailVerified: true, pendingEmail: null },
          });
          const proved = swapped.count
            ? swapped
            : await tx.user.updateMany({ where: { id: userId, email }, data: { emailVerified: true } });
          if (proved.count !== 1) return "stale" as const;
          await bumpChange(tx, "config");
          return "verified" as const;
        });
      } catch (err) {
        if (isUniqueViolation(err)) return "taken";
        throw err;
      }
    },
    async setPendingEmail(userId, email) {
      await db.user.update({ where: { id: userId }, data: { pendingEmail: email } });
    },
    async setPassword(userId, hash, at) {
      await db.user.update({ where: { id: userId }, data: { passwordHash: hash, passwordChangedAt: at } });
    },
    async revokeAllSessions(userId, at) {
      return (await endSessions(db, { userId, expiresAt: { gt: at } }, at)).length;
    },
  };
}
