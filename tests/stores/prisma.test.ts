import { afterAll } from "vitest";
import { createDb, type Db } from "@/lib/db";
import { migrate } from "@/lib/db/migrate";
import { importConfig } from "@/lib/admin/config-transfer";
import { createPrismaStores } from "@/lib/stores/prisma";
import { createPrismaConfigRepository } from "@/lib/stores/prisma/config-repository";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../helpers/databases";
import { storeSuite } from "./store-suite";

const opened: { db: Db; database: TestDatabase }[] = [];
afterAll(async () => {
  for (const { db, database } of opened) { await db.$disconnect(); await database.drop(); }
});

for (const kind of databaseKinds) {
  storeSuite(`prisma (${kind})`, async () => {
    const database = await createTestDatabase(kind);
    await migrate(database.url);
    const db = createDb(database.url);
    opened.push({ db, database });
    return {
      stores: createPrismaStores(db),
      async addClientAndApi() {
        await importConfig(createPrismaConfigRepository(db), {
          api_resources: [{ name: "https://suite.example", scopes: [{ name: "suite.read" }, { name: "suite.write" }] }],
          clients: [{ client_id: "suite-client", client_name: "Suite", client_secret: "x".repeat(32), scope: "suite.read" }],
        });
      },
    };
  });
}
