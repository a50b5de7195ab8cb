import { defineConfig } from "prisma/config";

// Portcullis applies migrations itself at start (lib/db/migrate.ts); this file serves
// `prisma generate` and `prisma validate`. DATABASE_URL is read directly: prisma's env()
// would make generate fail when it is unset.
export default defineConfig({
  schema: "prisma/schema.prisma",
  datasource: { url: process.env.DATABASE_URL ?? "file:./data/portcullis.db" },
});
