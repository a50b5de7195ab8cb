/**
 * Applies prisma/migrations/PROVIDER/NAME/migration.sql in order at start, recording each in
 * Prisma's _prisma_migrations table with the same columns and checksum as `prisma migrate
 * deploy`, so either tool can take over. Plain SQL through the driver: Prisma's schema engine
 * cannot be downloaded on our machines. On PostgreSQL an advisory lock lets several instances
 * start at once.
 */
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { providerOf, sqlitePath, type DbProvider } from "./index";

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(provider: DbProvider, root?: string): Migration[] {
  const dir = root ? path.join(root, provider) : path.join(process.cwd(), "prisma", "migrations", provider);
  if (!existsSync(dir)) throw new Error(`no migrations found in ${dir}`);
  return readdirSync(dir)
    .filter((name) => existsSync(path.join(dir, name, "migration.sql")))
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/** Applies pending migrations; returns the names applied. */
export async function migrate(url: string, migrationsRoot?: string): Promise<string[]> {
  const provider = providerOf(url);
  const migrations = readMigrations(provider, migrationsRoot);
  return provider === "sqlite" ? migrateSqlite(url, migrations) : migratePostgres(url, migrations);
}

const SQLITE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`;

async function migrateSqlite(url: string, migrations: Migration[]): Promise<string[]> {
  const { default: Database } = await import("better-sqlite3");
  const db = new Database(sqlitePath(url));
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("busy_timeout = 5000");
    db.exec(SQLITE_TABLE);
    const applied: string[] = [];
    const run = db.transaction((m: Migration) => {
      const done = db
        .prepare(
          `SELECT checksum FROM "_prisma_migrations" WHERE migration_name = ? AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
        )
        .get(m.name) as { checksum: string } | undefined;
      if (done) {
        checkSame(m, done.checksum);
        return;
      }
      db.exec(m.sql);
      db.prepare(
        `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)`,
      ).run(randomUUID(), m.checksum, new Date().toISOString(), m.name, new Date().toISOString());
      applied.push(m.name);
    });
    for (const m of migrations) run.immediate(m);
    return applied;
  } finally {
    db.close();
  }
}

const PG_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`;
const LOCK_ID = 72707369; // any constant shared by all instances

async function migratePostgres(url: string, migrations: Migration[]): Promise<string[]> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_ID]);
    await client.query(PG_TABLE);
    const applied: string[] = [];
    for (const m of migrations) {
      const done = await client.query(
        `SELECT checksum FROM "_prisma_migrations" WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
        [m.name],
      );
      if (done.rows[0]) {
        checkSame(m, done.rows[0].checksum as string);
        continue;
      }
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, now(), 1)`,
          [randomUUID(), m.checksum, m.name],
        );
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK");
        throw err;
      }
      applied.push(m.name);
    }
    return applied;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_ID]).catch(() => {});
    await client.end();
  }
}

function checkSame(m: Migration, checksum: string): void {
  if (checksum !== m.checksum) throw new Error(`migration ${m.name} was changed after it was applied`);
}
