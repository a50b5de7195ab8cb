/**
 * The databases integration tests run on: SQLite always; PostgreSQL too when
 * PORTCULLIS_TEST_POSTGRES_URL names a role that may create databases (.ci/run sets it).
 * Each test database is new and dropped afterwards.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";

export interface TestDatabase {
  name: "sqlite" | "postgresql";
  url: string;
  drop(): Promise<void>;
}

export const databaseKinds: ("sqlite" | "postgresql")[] = process.env.PORTCULLIS_TEST_POSTGRES_URL ? ["sqlite", "postgresql"] : ["sqlite"];

export async function createTestDatabase(kind: "sqlite" | "postgresql"): Promise<TestDatabase> {
  if (kind === "sqlite") {
    const dir = mkdtempSync(path.join(tmpdir(), "portcullis-db-"));
    return { name: kind, url: `file:${path.join(dir, "test.db")}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const admin = process.env.PORTCULLIS_TEST_POSTGRES_URL!;
  const dbName = `portcullis_test_${randomBytes(6).toString("hex")}`;
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE DATABASE ${dbName}`);
  const url = new URL(admin);
  url.pathname = `/${dbName}`;
  // FORCE cannot end a backend of another role (an autovacuum worker, say): then retry a few
  // times and, as cleanup, only warn; a leftover test database is not a failed test.
  const drop = async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        await run(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
        return;
      } catch (err) {
        if (attempt >= 10) {
          console.warn(`could not drop test database ${dbName}: ${(err as Error).message}`);
          return;
        }
        await new Promise((r) => setTimeout(r, 300));
      }
    }
  };
  return { name: kind, url: url.toString(), drop };
}
