import { afterAll, describe, expect, it } from "vitest";
import { createDb, sqlitePath, type Db } from "@/lib/db";
import { createSqliteHotStores } from "@/lib/stores/sqlite";
import { migrate } from "@/lib/db/migrate";
import { importConfig } from "@/lib/admin/config-transfer";
import { createPrismaStores } from "@/lib/stores/prisma";
import { createPrismaConfigRepository } from "@/lib/stores/prisma/config-repository";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../helpers/databases";
import { storeSuite } from "./store-suite";

const opened: { db: Db; database: TestDatabase; close?: () => void }[] = [];
afterAll(async () => {
  for (const { db, database, close } of opened) {
    close?.();
    await db.$disconnect();
    await database.drop();
  }
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

// The SQLite hot-path stores in place of Prisma's grants and users, as the runtime composes them.
storeSuite("prisma with SQLite hot paths", async () => {
  const database = await createTestDatabase("sqlite");
  await migrate(database.url);
  const db = createDb(database.url);
  const hot = createSqliteHotStores(sqlitePath(database.url));
  opened.push({ db, database, close: hot.close });
  return {
    stores: { ...createPrismaStores(db), grants: hot.grants, users: hot.users, replay: hot.replay },
    async addClientAndApi() {
      await importConfig(createPrismaConfigRepository(db), {
        api_resources: [{ name: "https://suite.example", scopes: [{ name: "suite.read" }, { name: "suite.write" }] }],
        clients: [{ client_id: "suite-client", client_name: "Suite", client_secret: "x".repeat(32), scope: "suite.read" }],
      });
    },
  };
});

describe("SQLite hot paths and Prisma", () => {
  it("read each other's rows", async () => {
    const database = await createTestDatabase("sqlite");
    await migrate(database.url);
    const db = createDb(database.url);
    const hot = createSqliteHotStores(sqlitePath(database.url));
    opened.push({ db, database, close: hot.close });
    const prisma = createPrismaStores(db);
    const grant = {
      key: "g1",
      type: "refresh_token",
      clientId: "c",
      subjectId: "u",
      familyId: "f",
      data: { a: [1, "b"] },
      expiresAt: new Date("2031-02-03T04:05:06.789Z"),
      consumedAt: null,
    };
    await hot.grants.saveGrant(grant);
    expect(await prisma.grants.findGrant("g1")).toEqual(grant);
    await prisma.grants.saveGrant({ ...grant, key: "g2" });
    expect(await hot.grants.findGrant("g2")).toEqual({ ...grant, key: "g2" });
    expect(await hot.grants.consumeGrant("g2", new Date("2030-01-01T00:00:00.001Z"))).toBe(true);
    expect((await prisma.grants.findGrant("g2"))!.consumedAt).toEqual(new Date("2030-01-01T00:00:00.001Z"));
    const user = await db.user.create({
      data: { username: "hot", email: "hot@example.com", emailVerified: true, claims: { name: "Hot" }, roles: ["admin"] },
    });
    expect(await hot.users.findUser(user.id)).toEqual(await prisma.users.findUser(user.id));

    // Replay guards: each side sees the other's record, and an expired one written by either is taken over.
    const later = new Date(Date.now() + 60_000);
    expect(await prisma.replay.useOnce("r1", later)).toBe(true);
    expect(await hot.replay.useOnce("r1", later)).toBe(false);
    expect(await hot.replay.useOnce("r2", later)).toBe(true);
    expect(await prisma.replay.useOnce("r2", later)).toBe(false);
    expect(await prisma.replay.useOnce("r3", new Date(Date.now() - 1000))).toBe(true);
    expect(await hot.replay.useOnce("r3", later)).toBe(true);
    expect(await hot.replay.useOnce("r3", later)).toBe(false);
    expect(await db.replayGuard.findUnique({ where: { key: "r3" } })).toEqual({ key: "r3", expiresAt: later });
  });
});
