/**
 * Issue 8 item 5 on the built server: rate limits set by the environment answer 429 with
 * Retry-After on authorize, token and introspection; the client address is the socket's unless
 * PORTCULLIS_TRUST_PROXY is on; failed client authentications reach the audit log in aggregate;
 * `portcullis sweep` deletes expired rows.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../helpers/databases";
import { runCli, serverModes, startServer, type RunningServer } from "../helpers/server";

const SECRET = "limits-secret-limits-secret-limits-secret";
const API = "https://orders.example";
const API_SECRET = "orders-api-secret-orders-api-secret-1";
const config = {
  api_resources: [{ name: API, secrets: [{ value: API_SECRET }], scopes: [{ name: "orders.read" }] }],
  clients: [
    { client_id: "svc", client_name: "Service", client_secret: SECRET, scope: "orders.read" },
    {
      client_id: "app",
      client_name: "App",
      grant_types: ["authorization_code"],
      redirect_uris: ["https://app.example/cb"],
      token_endpoint_auth_method: "none",
      scope: "openid",
    },
  ],
};
const LIMITS = {
  PORTCULLIS_RATE_LIMIT_TOKEN_IP: "3",
  PORTCULLIS_RATE_LIMIT_AUTHORIZE_IP: "2",
  PORTCULLIS_RATE_LIMIT_INTROSPECTION_IP: "2",
  PORTCULLIS_RATE_LIMIT_WINDOW: "3600",
};

const basic = (id: string, secret: string) =>
  "Basic " + Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64");
const form = (issuer: string, path: string, body: Record<string, string>, headers: Record<string, string>) =>
  fetch(issuer + path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(body),
  });
const tokenRequest = (issuer: string, headers: Record<string, string> = {}, secret = SECRET) =>
  form(issuer, "/connect/token", { grant_type: "client_credentials" }, { authorization: basic("svc", secret), ...headers });
const authorizeUrl = (issuer: string) =>
  `${issuer}/connect/authorize?${new URLSearchParams({
    client_id: "app",
    response_type: "code",
    redirect_uri: "https://app.example/cb",
    scope: "openid",
    code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    code_challenge_method: "S256",
  })}`;

async function expectLimitedJson(res: Response) {
  expect(res.status).toBe(429);
  const wait = Number(res.headers.get("retry-after"));
  expect(wait).toBeGreaterThan(0);
  expect(wait).toBeLessThanOrEqual(3600);
  expect(await res.json()).toEqual({
    error: "temporarily_unavailable",
    error_description: `too many requests, retry after ${wait} seconds`,
  });
}

for (const kind of databaseKinds) {
  for (const mode of serverModes) {
    describe(`rate limits on ${kind}, ${mode} server`, () => {
      let database: TestDatabase;
      let server: RunningServer;

      beforeAll(async () => {
        database = await createTestDatabase(kind);
        server = await startServer({ mode, databaseUrl: database.url, config, env: LIMITS });
      });
      afterAll(async () => {
        await server?.stop();
        await database?.drop();
      });

      it("answers the token endpoint 429 with Retry-After and a JSON error past the limit", async () => {
        for (let i = 0; i < 3; i++) expect((await tokenRequest(server.issuer)).status).toBe(200);
        await expectLimitedJson(await tokenRequest(server.issuer));
      });

      it("answers authorize with a plain 429 page past the limit", async () => {
        for (let i = 0; i < 2; i++) expect((await fetch(authorizeUrl(server.issuer), { redirect: "manual" })).status).toBe(303);
        const res = await fetch(authorizeUrl(server.issuer), { redirect: "manual" });
        expect(res.status).toBe(429);
        expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
        expect(await res.text()).toMatch(/^Too many requests\. Try again in \d+ seconds\.\n$/);
      });

      it("answers introspection 429 past the limit", async () => {
        const call = () => form(server.issuer, "/connect/introspect", { token: "x" }, { authorization: basic(API, API_SECRET) });
        for (let i = 0; i < 2; i++) expect((await call()).status).toBe(200);
        await expectLimitedJson(await call());
      });
    });
  }

  describe(`client addresses and audit on ${kind}, fast server`, () => {
    const databases: TestDatabase[] = [];
    const servers: RunningServer[] = [];
    afterAll(async () => {
      for (const s of servers) await s.stop();
      for (const d of databases) await d.drop();
    });
    async function start(env: Record<string, string>) {
      const database = await createTestDatabase(kind);
      databases.push(database);
      const server = await startServer({ databaseUrl: database.url, config, env });
      servers.push(server);
      return { database, server };
    }

    it("counts the socket's address by default: a client-sent X-Forwarded-For changes nothing; sweeps from the command line", async () => {
      const { server } = await start(LIMITS);
      for (let i = 0; i < 3; i++) expect((await tokenRequest(server.issuer, { "x-forwarded-for": `198.51.100.${i}` })).status).toBe(200);
      expect((await tokenRequest(server.issuer, { "x-forwarded-for": "198.51.100.99" })).status).toBe(429);

      const res = await runCli(server.env, ["sweep"]);
      expect(res.stderr).not.toContain("portcullis:");
      expect(res.code).toBe(0);
      expect(res.stdout).toContain("interactions: 0 deleted");
      expect(res.stdout).toContain("auditEvents: 0 deleted");
    });

    it("counts the last X-Forwarded-For hop with PORTCULLIS_TRUST_PROXY=true", async () => {
      const { server } = await start({ ...LIMITS, PORTCULLIS_TRUST_PROXY: "true" });
      for (let i = 0; i < 3; i++)
        expect((await tokenRequest(server.issuer, { "x-forwarded-for": `192.0.2.${i}, 10.0.0.5` })).status).toBe(200);
      // what a client writes before the proxy's hop is not trusted
      expect((await tokenRequest(server.issuer, { "x-forwarded-for": "192.0.2.77, 10.0.0.5" })).status).toBe(429);
      expect((await tokenRequest(server.issuer, { "x-forwarded-for": "10.0.0.6" })).status).toBe(200);
    });

    it("writes many failed client authentications as one audit event, at the latest when the server stops", async () => {
      const { database, server } = await start({});
      for (let i = 0; i < 25; i++) expect((await tokenRequest(server.issuer, {}, "wrong")).status).toBe(401);
      await server.stop();
      const db = createDb(database.url);
      try {
        const events = await db.auditEvent.findMany({ where: { type: "client_authentication_failed" } });
        expect(events.map((e) => [e.clientId, (e.details as { count: number }).count])).toEqual([["svc", 25]]);
      } finally {
        await db.$disconnect();
      }
    });
  });
}
