/** The passkey store on Prisma (the Passkey model): lib/auth/passkeys/ports.ts. */
import type { Db } from "../../db";
import type { PasskeyRecord, PasskeyStore } from "../../auth/passkeys/ports";
import { isUniqueViolation } from "./index";

type Row = {
  id: string;
  userId: string;
  credentialId: string;
  publicKey: Uint8Array;
  counter: bigint;
  transports: unknown;
  deviceType: string;
  backedUp: boolean;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
};

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

function toPasskey(r: Row): PasskeyRecord {
  return { ...r, publicKey: new Uint8Array(r.publicKey), counter: Number(r.counter), transports: strings(r.transports) };
}

export function createPrismaPasskeyStore(db: Db): PasskeyStore {
  return {
    async add(p, at) {
      try {
        const row = await db.passkey.create({
          data: {
            userId: p.userId,
            credentialId: p.credentialId,
            publicKey: Buffer.from(p.publicKey),
            counter: BigInt(p.counter),
            transports: p.transports,
            deviceType: p.deviceType,
            backedUp: p.backedUp,
            name: p.name,
            createdAt: at,
          },
        });
        return toPasskey(row);
      } catch (err) {
        if (isUniqueViolation(err)) return null;
        throw err;
      }
    },
    async findByCredentialId(credentialId) {
      const row = await db.passkey.findUnique({ where: { credentialId } });
      return row ? toPasskey(row) : null;
    },
    async listByUser(userId) {
      const rows = await db.passkey.findMany({ where: { userId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: 100 });
      return rows.map(toPasskey);
    },
    async recordUse(id, previous, next, at, flags) {
      const { count } = await db.passkey.updateMany({
        where: { id, counter: BigInt(previous) },
        data: { counter: BigInt(next), lastUsedAt: at, backedUp: flags.backedUp, deviceType: flags.deviceType },
      });
      return count === 1;
    },
    async rename(userId, id, name) {
      return (await db.passkey.updateMany({ where: { id, userId }, data: { name } })).count === 1;
    },
    async remove(userId, id) {
      return (await db.passkey.deleteMany({ where: { id, userId } })).count === 1;
    },
  };
}
