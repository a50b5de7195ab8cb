/**
 * The Prisma client for DATABASE_URL: SQLite through better-sqlite3, PostgreSQL through pg.
 * The two generated clients have the same API; the SQLite one's type stands for both.
 */
import path from "node:path";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "../generated/sqlite/client";
import { PrismaClient as PostgresClient } from "../generated/postgresql/client";

export type Db = SqliteClient;
export type DbProvider = "sqlite" | "postgresql";

export function providerOf(url: string): DbProvider {
  return url.startsWith("file:") ? "sqlite" : "postgresql";
}

/**
 * The SQLite file of a file: URL (relative to the working directory). A new folder is made 0700
 * and a new file 0600 before SQLite opens it: it holds password and secret hashes and sealed
 * keys, and SQLite gives its -wal and -shm files the database file's permissions.
 */
export function sqlitePath(url: string): string {
  const file = path.resolve(url.slice("file:".length));
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, "a", 0o600));
  return file;
}

export function createDb(url: string): Db {
  if (providerOf(url) === "sqlite") {
    return new SqliteClient({ adapter: new PrismaBetterSqlite3({ url: sqlitePath(url) }) });
  }
  return new PostgresClient({ adapter: new PrismaPg({ connectionString: url }) }) as unknown as Db;
}
