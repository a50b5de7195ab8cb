/** A protocol core on the real Prisma stores of a test database, with a movable clock. */
import { createDb, type Db } from "@/lib/db";
import { migrate } from "@/lib/db/migrate";
import { createProvider, type ClientRegistrar, type ProviderContext } from "@/lib/oidc";
import type { ProviderSettingsInput } from "@/lib/oidc/config";
import type { RateLimiter } from "@/lib/oidc/rate-limit";
import { createPrismaStores } from "@/lib/stores/prisma";
import { createPrismaUserAccountStore } from "@/lib/stores/prisma/users";
import type { UserAccountStore } from "@/lib/auth/ports";
import { createTestDatabase, type TestDatabase } from "./databases";
import { ISSUER } from "./provider";

export interface Clock {
  now: number;
  advance(seconds: number): void;
}

export function testClock(): Clock {
  return {
    now: Date.UTC(2026, 0, 1),
    advance(s: number) {
      this.now += s * 1000;
    },
  };
}

export interface PrismaProvider {
  ctx: ProviderContext;
  db: Db;
  accounts: UserAccountStore;
}

/** A provider on `url` (an instance: its own connection pool, its own caches). */
export async function prismaProvider(
  url: string,
  clock: Clock,
  options: {
    settings?: Omit<ProviderSettingsInput, "issuer">;
    rateLimiter?: RateLimiter;
    /** dynamic client registration on this instance's database */
    registrar?: (db: Db) => ClientRegistrar;
  } = {},
): Promise<PrismaProvider> {
  const db = createDb(url);
  const ctx = await createProvider({
    settings: { issuer: ISSUER, cacheTtl: 0, ...options.settings },
    stores: createPrismaStores(db),
    secret: "test-server-secret-test-server-secret",
    now: () => clock.now,
    log: { warn: () => {}, error: () => {} },
    rateLimiter: options.rateLimiter,
    registrar: options.registrar?.(db),
  });
  return { ctx, db, accounts: createPrismaUserAccountStore(db) };
}

/** Test databases created by a file, dropped by `dropAll` (afterAll). */
export function databasePool() {
  const open: { database: TestDatabase; dbs: Db[] }[] = [];
  return {
    async create(kind: "sqlite" | "postgresql"): Promise<TestDatabase & { track(db: Db): Db }> {
      const database = await createTestDatabase(kind);
      await migrate(database.url);
      const entry = { database, dbs: [] as Db[] };
      open.push(entry);
      return {
        ...database,
        track: (db: Db) => {
          entry.dbs.push(db);
          return db;
        },
      };
    },
    async dropAll() {
      for (const { database, dbs } of open) {
        for (const db of dbs) await db.$disconnect();
        await database.drop();
      }
    },
  };
}
