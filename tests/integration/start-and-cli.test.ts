/** First start, demo data, PORTCULLIS_IMPORT and the portcullis command, on the built server. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "../helpers/databases";
import { eventually, runCli, startServer } from "../helpers/server";

const dbs: TestDatabase[] = [];
afterAll(async () => {
  for (const d of dbs) await d.drop();
});
async function database() {
  const d = await createTestDatabase("sqlite");
  dbs.push(d);
  return d;
}

describe("first start", () => {
  it("creates the database, seeds demo data whose printed credentials work, and prints them once", async () => {
    const db = await database();
    const server = await startServer({ databaseUrl: db.url, env: { PORTCULLIS_DEMO: "true" } });
    try {
      const out = server.output();
      expect(out).toContain("applied migrations");
      const client = /machine client\s+(\S+) \/ (\S+)/.exec(out)!;
      const api = /demo API \(introspection\)\s+(\S+) \/ (\S+)/.exec(out)!;
      expect(client[1]).toBe("demo-machine");
      const tokenRes = await fetch(`${server.issuer}/connect/token`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: "Basic " + Buffer.from(`${client[1]}:${client[2]}`).toString("base64"),
        },
        body: "grant_type=client_credentials&scope=demo.read",
      });
      expect(tokenRes.status).toBe(200);
      const { access_token } = (await tokenRes.json()) as { access_token: string };
      const introspection = await fetch(`${server.issuer}/connect/introspect`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token: access_token, client_id: api[1]!, client_secret: api[2]! }),
      });
      expect(await introspection.json()).toMatchObject({ active: true, aud: "https://api.example.com", scope: "demo.read" });
    } finally {
      await server.stop();
    }
    const again = await startServer({ databaseUrl: db.url, env: { PORTCULLIS_DEMO: "true" } });
    await again.stop();
    expect(again.output()).not.toContain("shown once");
    expect(again.output()).not.toContain("applied migrations");
  });

  it("refuses to start with a bad PORTCULLIS_IMPORT file, listing each problem", async () => {
    const db = await database();
    const result = await startServer({
      databaseUrl: db.url,
      expectExit: true,
      config: { clients: [{ client_id: "x", client_name: "X", client_secret: "short", scope: "missing.scope" }] },
    });
    expect(result.exitCode).toBe(1);
    expect(result.output()).toContain("clients[0].client_secret: a secret must be at least 32 characters");
    expect(result.output()).not.toMatch(/\n\s+at /); // no stack trace
    await result.stop();
  });

  it("refuses to start with an invalid environment, naming the variable", async () => {
    const db = await database();
    const result = await startServer({ databaseUrl: db.url, expectExit: true, env: { PORTCULLIS_SECRET: "too-short" } });
    expect(result.exitCode).toBe(1);
    expect(result.output()).toContain("PORTCULLIS_SECRET: must be at least 32 characters");
    await result.stop();
  });
});

describe("changes made elsewhere", () => {
  it("reach a running server within about a second, whatever its cache TTL", async () => {
    const db = await database();
    const server = await startServer({ databaseUrl: db.url, env: { PORTCULLIS_CACHE_TTL: "300" } });
    try {
      const secret = "late-client-secret-late-client-secret-1";
      const ask = () =>
        fetch(`${server.issuer}/connect/token`, {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            authorization: "Basic " + Buffer.from(`late:${secret}`).toString("base64"),
          },
          body: "grant_type=client_credentials",
        });
      expect((await ask()).status).toBe(401); // now cached as unknown
      const file = path.join(mkdtempSync(path.join(tmpdir(), "portcullis-late-")), "late.json");
      writeFileSync(
        file,
        JSON.stringify({
          api_resources: [{ name: "https://late.example", scopes: [{ name: "late.read" }] }],
          clients: [{ client_id: "late", client_name: "Late", client_secret: secret, scope: "late.read" }],
        }),
      );
      expect((await runCli(server.env, ["import", file])).code).toBe(0);
      await eventually(async () => (await ask()).status === 200);
    } finally {
      await server.stop();
    }
  });
});

describe("the portcullis command", () => {
  let env: NodeJS.ProcessEnv;
  let dir: string;
  beforeAll(async () => {
    const db = await database();
    dir = mkdtempSync(path.join(tmpdir(), "portcullis-cli-"));
    env = { ...process.env, DATABASE_URL: db.url, PORTCULLIS_SECRET: "cli-test-secret-cli-test-secret-cli", PORTCULLIS_DATA_DIR: dir };
  });

  it("imports a file idempotently, rejects a bad one whole, and exports hashes only", async () => {
    const good = path.join(dir, "good.json");
    const secret = "cli-client-secret-cli-client-secret-123";
    writeFileSync(
      good,
      JSON.stringify({
        api_resources: [{ name: "https://inventory.example", scopes: [{ name: "inventory.read" }] }],
        clients: [{ client_id: "inventory-sync", client_name: "Inventory sync", client_secret: secret, scope: "inventory.read" }],
      }),
    );
    const first = await runCli(env, ["import", good]);
    expect(first).toMatchObject({ code: 0, stdout: `imported ${good}: 2 created, 0 updated\n` });
    expect((await runCli(env, ["import", good])).stdout).toBe(`imported ${good}: 0 created, 2 updated\n`);

    const bad = path.join(dir, "bad.json");
    writeFileSync(
      bad,
      JSON.stringify({
        clients: [
          { client_id: "new-one", client_name: "N", client_secret: secret, scope: "inventory.read nope" },
          { client_name: "no id" },
        ],
      }),
    );
    const rejected = await runCli(env, ["import", bad]);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toContain("clients[1].client_id:");
    const exported = await runCli(env, ["export"]);
    expect(exported.code).toBe(0);
    const file = JSON.parse(exported.stdout) as { clients: { client_id: string; secrets: { hash: string }[] }[] };
    expect(file.clients.map((c) => c.client_id)).toEqual(["inventory-sync"]);
    expect(file.clients[0]!.secrets[0]!.hash).toMatch(/^sha256:/);
    expect(exported.stdout).not.toContain(secret);

    const out = path.join(dir, "export.json");
    expect((await runCli(env, ["export", out])).code).toBe(0);
    // The export also holds the built-in admin API resource.
    expect((await runCli(env, ["import", out])).stdout).toBe(`imported ${out}: 0 created, 3 updated\n`);
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual(file);
  });

  it("lists keys, reports unreadable files and usage errors", async () => {
    const keys = await runCli(env, ["keys", "list"]);
    expect(keys.code).toBe(0);
    for (const alg of ["RS256", "PS256", "ES256", "EdDSA"]) expect(keys.stdout).toMatch(new RegExp(`${alg}\\s+1\\s+\\S+\\s+current`));
    const missing = await runCli(env, ["import", path.join(dir, "nope.json")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("cannot read");
    expect((await runCli(env, ["frobnicate"])).code).toBe(2);
  });
});
