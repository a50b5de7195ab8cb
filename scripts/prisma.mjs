#!/usr/bin/env node
// Prisma tasks that work without Prisma's native engines (see shared notes on offline Prisma).
//   node scripts/prisma.mjs generate          generate the SQLite and PostgreSQL clients
//   node scripts/prisma.mjs migration NAME    write prisma/migrations/{sqlite,postgresql}/<ts>_NAME
// prisma/schema.prisma is the one source; the PostgreSQL schema is derived from it.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const sqliteSchemaPath = path.join(root, "prisma/schema.prisma");
const pgSchemaPath = path.join(root, "prisma/generated/postgresql/schema.prisma");

function writePostgresSchema() {
  const source = readFileSync(sqliteSchemaPath, "utf8");
  const derived = toPostgres(source);
  if (derived === source) throw new Error("could not derive the PostgreSQL schema");
  mkdirSync(path.dirname(pgSchemaPath), { recursive: true });
  writeFileSync(pgSchemaPath, "// Generated from prisma/schema.prisma by scripts/prisma.mjs: do not edit.\n" + derived);
  return derived;
}

function generate() {
  writePostgresSchema();
  const env = {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: path.join(root, "scripts/no-schema-engine.sh"),
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
  };
  const prisma = path.join(root, "node_modules/.bin/prisma");
  for (const schema of [sqliteSchemaPath, pgSchemaPath]) {
    execFileSync(prisma, ["generate", "--schema", schema], { stdio: ["ignore", "ignore", "inherit"], env, cwd: root });
  }
  console.log("prisma clients generated: lib/generated/sqlite, lib/generated/postgresql");
}

async function loadSchemaEngine() {
  const require = createRequire(import.meta.url);
  globalThis.PRISMA_WASM_PANIC_REGISTRY = { set_message: (m) => console.error("schema engine panic:", m) };
  const bg = await import("@prisma/schema-engine-wasm/schema_engine_bg");
  const wasmPath = path.join(path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg")), "schema_engine_bg.wasm");
  const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), { "./schema_engine_bg.js": bg });
  bg.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return bg.SchemaEngine;
}

// The diff runs against an empty in-memory SQLite database: only the SQL text is wanted.
async function diffSql(SchemaEngine, schemaPath, schemaContent, previousContent) {
  const { PrismaBetterSqlite3 } = await import("@prisma/adapter-better-sqlite3");
  const { bindMigrationAwareSqlAdapterFactory } = await import("@prisma/driver-adapter-utils");
  const factory = bindMigrationAwareSqlAdapterFactory(new PrismaBetterSqlite3({ url: ":memory:" }));
  const engine = await SchemaEngine.new({ datamodels: [[schemaPath, schemaContent]] }, () => {}, factory);
  const files = [{ path: schemaPath, content: schemaContent }];
  const from = previousContent ? { tag: "schemaDatamodel", files: [{ path: schemaPath, content: previousContent }] } : { tag: "empty" };
  const result = await engine.diff({
    from,
    to: { tag: "schemaDatamodel", files },
    script: true,
    exitCode: null,
    filters: { externalTables: [], externalEnums: [] },
  });
  engine.free();
  return result.stdout ?? "";
}

function migrationList(dir, provider) {
  const names = existsSync(dir)
    ? readdirSync(dir)
        .filter((n) => existsSync(path.join(dir, n, "migration.sql")))
        .sort()
    : [];
  if (names.length === 0) return null;
  const lockPath = path.join(dir, "migration_lock.toml");
  return {
    baseDir: dir,
    lockfile: { path: lockPath, content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
    migrationDirectories: names.map((n) => ({
      path: n,
      migrationFile: { path: "migration.sql", content: { tag: "ok", value: readFileSync(path.join(dir, n, "migration.sql"), "utf8") } },
    })),
    shadowDbInitScript: "",
    provider,
  };
}

// The schema the existing migrations describe: prisma/schema.prisma as of the last commit that
// added a migration (a schema change is committed with its migration). Diffing two datamodels
// needs no database, so later migrations work for both providers offline. After merging branches
// that each wrote a migration, drop theirs and set PORTCULLIS_MIGRATION_BASE to the commit they
// started from: one migration then holds every branch's changes (SQLite migrations that redefine
// a table must not be replayed side by side, each would drop the others' columns).
function schemaOfLastMigration() {
  const rev =
    process.env.PORTCULLIS_MIGRATION_BASE ??
    execFileSync("git", ["log", "-1", "--format=%H", "--", "prisma/migrations"], { cwd: root, encoding: "utf8" }).trim();
  if (!rev) return null;
  return execFileSync("git", ["show", `${rev}:prisma/schema.prisma`], { cwd: root, encoding: "utf8" });
}

const toPostgres = (source) =>
  source
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('output   = "../lib/generated/sqlite"', 'output   = "../../../lib/generated/postgresql"');

async function migration(name) {
  if (!/^[a-z0-9_]+$/.test(name ?? "")) throw new Error("usage: node scripts/prisma.mjs migration NAME (lowercase, digits, _)");
  const SchemaEngine = await loadSchemaEngine();
  const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const previous = schemaOfLastMigration();
  const variants = [
    { provider: "sqlite", schemaPath: sqliteSchemaPath, content: readFileSync(sqliteSchemaPath, "utf8"), previous },
    { provider: "postgresql", schemaPath: pgSchemaPath, content: writePostgresSchema(), previous: previous && toPostgres(previous) },
  ];
  for (const v of variants) {
    const dir = path.join(root, "prisma/migrations", v.provider);
    const hasMigrations = migrationList(dir, v.provider) !== null;
    if (hasMigrations && !v.previous) throw new Error("the migrations are not committed: commit them before writing another");
    const sql = await diffSql(SchemaEngine, v.schemaPath, v.content, hasMigrations ? v.previous : null);
    if (!sql.trim() || /empty migration/i.test(sql)) {
      console.log(`${v.provider}: no changes`);
      continue;
    }
    const out = path.join(dir, `${stamp}_${name}`);
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, "migration.sql"), sql);
    writeFileSync(path.join(dir, "migration_lock.toml"), `# Please do not edit this file manually\nprovider = "${v.provider}"\n`);
    console.log(`${v.provider}: wrote ${path.relative(root, out)}/migration.sql`);
  }
  process.exit(0);
}

const [command, arg] = process.argv.slice(2);
if (command === "generate") generate();
else if (command === "migration") await migration(arg);
else {
  console.error("usage: node scripts/prisma.mjs generate | migration NAME");
  process.exit(2);
}
