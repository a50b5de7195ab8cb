/** RegistrationStore on Prisma: initial access tokens and registration access tokens (lib/admin/registration.ts). */
import type { Db } from "../../db";
import type { InitialAccessTokenView, RegistrationStore } from "../../admin/ports";

type Row = Awaited<ReturnType<Db["initialAccessToken"]["findUniqueOrThrow"]>>;

const view = (t: Row): InitialAccessTokenView => ({
  id: t.id,
  description: t.description,
  expires_at: t.expiresAt?.toISOString() ?? null,
  max_uses: t.maxUses,
  uses: t.uses,
  revoked_at: t.revokedAt?.toISOString() ?? null,
  created_by: t.createdBy,
  created_at: t.createdAt.toISOString(),
});

export function createPrismaRegistrationStore(db: Db): RegistrationStore {
  return {
    async useInitialAccessToken(hash, at) {
      // One statement decides: concurrent registrations never use a token past its max_uses.
      const { count } = await db.initialAccessToken.updateMany({
        where: {
          hash,
          revokedAt: null,
          AND: [
            { OR: [{ expiresAt: null }, { expiresAt: { gt: at } }] },
            { OR: [{ maxUses: null }, { uses: { lt: db.initialAccessToken.fields.maxUses } }] },
          ],
        },
        data: { uses: { increment: 1 } },
      });
      if (count === 0) return null;
      return db.initialAccessToken.findUnique({ where: { hash }, select: { id: true } });
    },
    async issueInitialAccessToken(token) {
      return view(await db.initialAccessToken.create({ data: token }));
    },
    async listInitialAccessTokens() {
      return (await db.initialAccessToken.findMany({ orderBy: { createdAt: "desc" }, take: 500 })).map(view);
    },
    async revokeInitialAccessToken(id, at) {
      return (await db.initialAccessToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } })).count > 0;
    },
    async setRegistrationAccessToken(clientId, hash) {
      await db.client.update({ where: { clientId }, data: { registrationAccessTokenHash: hash } });
    },
    async registrationOf(clientId) {
      const c = await db.client.findUnique({ where: { clientId }, select: { registrationAccessTokenHash: true, createdAt: true } });
      return c && { hash: c.registrationAccessTokenHash, createdAt: c.createdAt };
    },
  };
}
