#!/usr/bin/env node
// The portcullis command; the code is built into dist/ by `npm run build`.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../dist/cli.mjs", import.meta.url));
if (!existsSync(cli)) {
  console.error("portcullis: not built yet; run `npm run build` first");
  process.exit(1);
}
await import(cli);
