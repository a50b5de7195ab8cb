import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { adminOpenApi } from "@/lib/admin/openapi";

const root = path.resolve(import.meta.dirname, "../../app/api/admin/v1");

function routes(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return routes(full);
    return name === "route.ts" ? [full] : [];
  });
}

it("documents every admin API route and method in the OpenAPI document", () => {
  const doc = adminOpenApi("https://id.example.test") as { paths: Record<string, Record<string, unknown>> };
  const missing: string[] = [];
  for (const file of routes(root)) {
    const rel = path.relative(root, path.dirname(file));
    if (rel === "openapi.json") continue;
    const apiPath =
      "/" +
      rel
        .split(path.sep)
        .map((p) => p.replace(/^\[(.+)\]$/, "{$1}"))
        .join("/");
    const methods = [...readFileSync(file, "utf8").matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]!.toLowerCase());
    for (const m of methods) if (!doc.paths[apiPath]?.[m]) missing.push(`${m.toUpperCase()} ${apiPath}`);
  }
  expect(missing).toEqual([]);
});
