#!/usr/bin/env node
// Bundles the production server and the CLI into dist/ (our code only; packages stay external).
import { build } from "esbuild";

await build({
  entryPoints: { server: "server/main.ts", cli: "server/cli.ts" },
  outdir: "dist",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
console.log("built dist/server.mjs and dist/cli.mjs");
