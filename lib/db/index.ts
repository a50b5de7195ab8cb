/**
 * The Prisma client for DATABASE_URL: SQLite through better-sqlite3, PostgreSQL through pg.
 * The two generated clients have the same API; the SQLite one's type stands for both.
 */
import path from "node:path";
import { mkdirSync } from "node:fs";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "../generated/sqlite/client";
import { PrismaClient as PostgresClient } from "../generated/postgresql/client";

export type Db = SqliteClient;
export type DbProvider = "sqlite" | "postgresql";

export function providerOf(url: string): DbProvider {
  return url.startsWith("file:") ? "sqlite" : "postgresql";
}

/** The SQLite file of a file: URL (relative to the working directory), its folder created. */
export function sqlitePath(url: string): string {
  const file = path.resolve(url.slice("file:".length));
  mkdirSync(path.dirname(file), { recursive: true });
  return file;
}

export function createDb(url: string): Db {
  if (providerOf(url) === "sqlite") {
    return new SqliteClient({ adapter: new PrismaBetterSqlite3({ url: sqlitePath(url) }) });
  }
  return new PostgresClient({ adapter: new PrismaPg({ connectionString: url }) }) as unknown as Db;
}
