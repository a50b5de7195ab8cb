/** ClientAdminStore on Prisma. */
import type { Db } from "../../db";
import { ConflictError, type ClientAdminStore, type ClientView, type SecretInfo } from "../../admin/ports";
import { bumpChange, isUniqueViolation } from "./index";
import { clientData, clientToFile } from "./config-repository";

type Row = Awaited<ReturnType<Db["client"]["findUniqueOrThrow"]>> & { secrets: { id: string; description: string | null; expiresAt: Date | null; createdAt: Date }[] };

const secretInfo = (s: Row["secrets"][number]): SecretInfo => ({ id: s.id, description: s.description, expiresAt: s.expiresAt, createdAt: s.createdAt });

function view(c: Row): ClientView {
  return { ...clientToFile(c), secrets: c.secrets.map(secretInfo), created_at: c.createdAt.toISOString(), updated_at: c.updatedAt.toISOString() } as ClientView;
}

const withSecrets = { secrets: { select: { id: true, description: true, expiresAt: true, createdAt: true }, orderBy: { createdAt: "asc" as const } } };

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
    async create(input, secret) {
      try {
        const c = await db.$transaction(async (tx) => {
          const created = await tx.client.create({
            data: { clientId: input.client_id, ...clientData(input), ...(secret ? { secrets: { create: secret } } : {}) },
            include: withSecrets,
          });
          await bumpChange(tx, "config");
          return created;
        });
        return view(c);
      } catch (err) {
        if (isUniqueViolation(err)) throw new ConflictError(input.client_id);
        throw err;
      }
    },
    async update(clientId, input) {
      return db.$transaction(async (tx) => {
        const found = await tx.client.findUnique({ where: { clientId }, select: { id: true } });
        if (!found) return null;
        const c = await tx.client.update({ where: { clientId }, data: clientData(input), include: withSecrets });
        await bumpChange(tx, "config");
        return view(c);
      });
    },
    async remove(clientId) {
      return db.$transaction(async (tx) => {
        const { count } = await tx.client.deleteMany({ where: { clientId } });
        if (count) await bumpChange(tx, "config");
        return count > 0;
      });
    },
    async addSecret(clientId, secret) {
      return db.$transaction(async (tx) => {
        const c = await tx.client.findUnique({ where: { clientId }, select: { id: true } });
        if (!c) return null;
        const s = await tx.clientSecret.create({ data: { ...secret, clientId: c.id } });
        await bumpChange(tx, "config");
        return secretInfo(s);
      });
    },
    async removeSecret(clientId, secretId) {
      return db.$transaction(async (tx) => {
        const { count } = await tx.clientSecret.deleteMany({ where: { id: secretId, client: { clientId } } });
        if (count) await bumpChange(tx, "config");
        return count > 0;
      });
    },
    async scopeNames() {
      const [scopes, identities] = await Promise.all([db.apiScope.findMany({ select: { name: true } }), db.identityResource.findMany({ select: { name: true } })]);
      // offline_access is not listed: the schema turns it into portcullis.allow_offline_access.
      return new Set([...scopes.map((s) => s.name), ...identities.map((r) => r.name)]);
    },
  };
}
