/** The layer rules of STYLE.md are lint rules that fail: each deliberate crossing below is refused. */
import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const eslint = new ESLint({ cwd: root });

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe("layer boundaries", () => {
  it("keeps lib/oidc free of Next, React, Prisma, the stores and the application layers", async () => {
    for (const spec of [
      "next/server",
      "react",
      "@prisma/client",
      "../stores/prisma",
      "../admin/clients",
      "../auth/login",
      "@/lib/runtime",
      "node:crypto",
    ]) {
      expect((await problems("lib/oidc/endpoints/example.ts", `import "${spec}";\n`)).join("\n"), spec).toMatch(/no-restricted-imports/);
    }
    expect(
      await problems(
        "lib/oidc/endpoints/example.ts",
        `import { jwtVerify } from "jose";\nimport { oauthError } from "../errors";\nexport { jwtVerify, oauthError };\n`,
      ),
    ).toEqual([]);
  });

  it("lets code outside lib/oidc use only its public entry", async () => {
    expect((await problems("lib/admin/example.ts", `import { sha256 } from "../oidc/crypto";\nexport { sha256 };\n`)).join()).toMatch(
      /public entry/,
    );
    expect((await problems("app/example/page.tsx", `import { Paths } from "@/lib/oidc/constants";\nexport { Paths };\n`)).join()).toMatch(
      /public entry/,
    );
    expect(await problems("lib/admin/example.ts", `import { Paths } from "../oidc";\nexport { Paths };\n`)).toEqual([]);
  });

  it("keeps Prisma in lib/stores and lib/db, app out of components, and process.env in lib/env.ts", async () => {
    expect(
      (await problems("lib/admin/example.ts", `import { PrismaClient } from "@prisma/client";\nexport { PrismaClient };\n`)).join(),
    ).toMatch(/Only lib\/stores and lib\/db use Prisma/);
    expect(await problems("lib/stores/prisma/example.ts", `import type { Db } from "../../db";\nexport type { Db };\n`)).toEqual([]);
    expect(
      (await problems("components/admin/example.tsx", `import { x } from "@/app/admin/clients/actions";\nexport { x };\n`)).join(),
    ).toMatch(/components never import from app/);
    expect((await problems("lib/admin/example.ts", `export const port = process.env.PORT;\n`)).join()).toMatch(/no-restricted-properties/);
    expect(await problems("lib/env.ts", `export const port = process.env.PORT;\n`)).toEqual([]);
  });
});
