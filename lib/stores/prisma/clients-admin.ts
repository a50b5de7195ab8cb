/** ClientAdminStore on Prisma: clients are created and changed through the import (config-repository.ts). */
import type { Db } from "../../db";
import type { ClientAdminStore, ClientView, SecretInfo } from "../../admin/ports";
import { writeConfig } from "./index";
import { clientToFile } from "./config-repository";

type Row = Awaited<ReturnType<Db["client"]["findUniqueOrThrow"]>> & {
  secrets: { id: string; description: string | null; expiresAt: Date | null; createdAt: Date }[];
};

const secretInfo = (s: Row["secrets"][number]): SecretInfo => ({
  id: s.id,
  description: s.description,
  expiresAt: s.expiresAt,
  createdAt: s.createdAt,
});

function view(c: Row): ClientView {
  return {
    ...clientToFile(c),
    secrets: c.secrets.map(secretInfo),
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
    registered_dynamically: c.registrationAccessTokenHash !== null,
  } as ClientView;
}

const withSecrets = {
  secrets: { select: { id: true, description: true, expiresAt: true, createdAt: true }, orderBy: { createdAt: "asc" as const } },
};

export function createPrismaClientAdminStore(db: Db): ClientAdminStore {
  return {
    async list({ search, page, pageSize }) {
      const where = search ? { OR: [{ clientId: { contains: search } }, { clientName: { contains: search } }] } : {};
      const [rows, total] = await Promise.all([
        db.client.findMany({ where, include: withSecrets, orderBy: { clientId: "asc" }, skip: (page - 1) * pageSize, take: pageSize }),
        db.client.count({ where }),
      ]);
      return { items: rows.map(view), total, page, pageSize };
    },
    async get(clientId) {
      const c = await db.client.findUnique({ where: { clientId }, include: withSecrets });
      return c ? view(c) : null;
    },
    async remove(clientId) {
      return writeConfig(db, async (tx) => (await tx.client.deleteMany({ where: { clientId } })).count > 0, Boolean);
    },
    async addSecret(clientId, secret) {
      return writeConfig(
        db,
        async (tx) => {
          const c = await tx.client.findUnique({ where: { clientId }, select: { id: true } });
          return c ? secretInfo(await tx.clientSecret.create({ data: { ...secret, clientId: c.id } })) : null;
        },
        Boolean,
      );
    },
    async removeSecret(clientId, secretId) {
      return writeConfig(
        db,
        async (tx) => (await tx.clientSecret.deleteMany({ where: { id: secretId, client: { clientId } } })).count > 0,
        Boolean,
      );
    },
  };
}
