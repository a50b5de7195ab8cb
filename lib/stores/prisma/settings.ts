/** The console's portal settings on Prisma: one PortalSetting row per top-level key (lib/settings). */
import type { Db } from "../../db";
import type { Prisma } from "../../generated/sqlite/client";
import type { PortalSettingStore } from "../../settings/ports";
import { bumpChange } from "./index";

const STAMP = "settings";

export function createPrismaSettingStore(db: Db): PortalSettingStore {
  return {
    async readAll() {
      const rows = await db.portalSetting.findMany();
      return Object.fromEntries(rows.map((r) => [r.key, r.value]));
    },
    async write(values) {
      await db.$transaction(async (tx) => {
        for (const [key, value] of Object.entries(values)) {
          const json = value as Prisma.InputJsonValue;
          await tx.portalSetting.upsert({ where: { key }, create: { key, value: json }, update: { value: json } });
        }
        await bumpChange(tx, STAMP);
      });
    },
    async version() {
      return (await db.changeStamp.findUnique({ where: { key: STAMP } }))?.version ?? 0;
    },
  };
}
