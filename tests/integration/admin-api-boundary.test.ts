/**
 * Who may call the admin API (a user's token counts only while the user holds the admin role,
 * exists and is not locked, whatever scope the token carries), and what it reads of a request:
 * JSON only, within a size and a depth, with page numbers checked.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/databases";
import { startServer, type RunningServer } from "../helpers/server";
import { Browser } from "../helpers/browser";

const SECRET = "automation-secret-automation-secret-01";
const REDIRECT = "http://127.0.0.1:9/cb";
let database: TestDatabase;
let server: RunningServer;
let automation: string;

const api = (path: string, init: RequestInit & { token: string }) =>
  fetch(`${server.issuer}/api/admin/v1${path}`, {
    ...init,
    headers: { "content-type": "application/json", authorization: `Bearer ${init.token}`, ...(init.headers as Record<string, string>) },
  });

/** An access token for `username` from the interactive client allowed portcullis:admin. */
async function userToken(username: string): Promise<string> {
  const browser = new Browser(server.issuer);
  const tokens = await browser.authorizationCode({
    clientId: "console-spa",
    redirectUri: REDIRECT,
    scope: "openid portcullis:admin",
    login: username,
    password: `${username}-password-123`,
  });
  expect(tokens.scope).toBe("openid portcullis:admin");
  return tokens.access_token;
}

const user = (username: string, roles: string[]) => ({ username, password: `${username}-password-123`, roles, claims: { name: username } });

beforeAll(async () => {
  database = await createTestDatabase("sqlite");
  server = await startServer({
    databaseUrl: database.url,
    config: {
      clients: [
        { client_id: "automation", client_name: "Automation", client_secret: SECRET, scope: "portcullis:admin" },
        { client_id: "job", client_name: "Job", client_secret: SECRET, scope: "portcullis:admin" },
        {
          client_id: "console-spa",
          client_name: "Console SPA",
          token_endpoint_auth_method: "none",
          grant_types: ["authorization_code"],
          redirect_uris: [REDIRECT],
          scope: "openid portcullis:admin",
          portcullis: { kind: "spa", require_consent: false },
        },
        {
          client_id: "rp",
          client_name: "RP",
          token_endpoint_auth_method: "none",
          grant_types: ["authorization_code", "refresh_token"],
          redirect_uris: [REDIRECT],
          scope: "openid offline_access",
          portcullis: { kind: "spa", require_consent: false },
        },
      ],
      users: [
        user("alice", []),
        user("root", ["admin"]),
        user("dora", ["admin", "staff"]),
        user("bob", ["admin"]),
        user("carl", ["admin"]),
        user("erin", []),
      ],
    },
  });
  automation = await clientToken("automation");
}, 60_000);
afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

async function clientToken(clientId: string): Promise<string> {
  const res = await fetch(`${server.issuer}/connect/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: "Basic " + Buffer.from(`${clientId}:${SECRET}`).toString("base64"),
    },
    body: "grant_type=client_credentials&scope=portcullis:admin",
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

describe("admin API callers", () => {
  it("refuses a user without the admin role, even with a portcullis:admin token from an interactive client", async () => {
    const token = await userToken("alice");
    const list = await api("/users", { token });
    expect(list.status).toBe(403);
    expect(await list.json()).toEqual({ error: { code: "forbidden", message: "the admin role is required" } });
    const promote = await api("/users/alice", { method: "PUT", token, body: JSON.stringify({ username: "alice", roles: ["admin"] }) });
    expect(promote.status).toBe(403);
    expect((await (await api("/users/alice", { token: automation })).json()).roles).toEqual([]);
  });

  it("lets an admin's token through and audits the user and the client", async () => {
    const token = await userToken("root");
    const list = await api("/users?search=ro", { token });
    expect(list.status).toBe(200);
    expect((await list.json()).items.map((u: { username: string }) => u.username)).toEqual(["root"]);
    expect((await api("/users/alice/lock", { method: "POST", token })).status).toBe(204);
    expect((await api("/users/alice/lock", { method: "DELETE", token })).status).toBe(204);
    const events = await (await api("/audit-events?type=admin.user_locked", { token: automation })).json();
    expect(events.items[0]).toMatchObject({ type: "admin.user_locked", actor: "user:root via client:console-spa" });
  });

  it("refuses the same token once the admin role is removed", async () => {
    const token = await userToken("dora");
    expect((await api("/users", { token })).status).toBe(200);
    const demoted = await api("/users/dora", {
      method: "PUT",
      token: automation,
      body: JSON.stringify({ roles: ["staff"], claims: { name: "dora" } }),
    });
    expect(demoted.status).toBe(200);
    const after = await api("/users", { token });
    expect(after.status).toBe(403);
    expect(await after.json()).toEqual({ error: { code: "forbidden", message: "the admin role is required" } });
  });

  it("refuses the same token once the user is locked or deleted", async () => {
    const bob = await userToken("bob");
    const carl = await userToken("carl");
    expect((await api("/clients", { token: bob })).status).toBe(200);
    expect((await api("/clients", { token: carl })).status).toBe(200);
    expect((await api("/users/bob/lock", { method: "POST", token: automation })).status).toBe(204);
    expect((await api("/users/carl", { method: "DELETE", token: automation })).status).toBe(204);
    for (const token of [bob, carl]) {
      const res = await api("/clients", { token });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toContain('error="invalid_token"');
      expect(await res.json()).toEqual({ error: { code: "unauthorized", message: "the access token is invalid or expired" } });
    }
  });

  it("leaves none of a user's earlier tokens alive after a lock, a password reset and an unlock (review finding)", async () => {
    const tokens = await new Browser(server.issuer).authorizationCode({
      clientId: "rp",
      redirectUri: REDIRECT,
      scope: "openid offline_access",
      login: "erin",
      password: "erin-password-123",
    });
    expect(tokens.refresh_token).toBeTruthy();
    const refresh = () =>
      fetch(`${server.issuer}/connect/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: String(tokens.refresh_token), client_id: "rp" }),
      });
    const userinfo = () => fetch(`${server.issuer}/connect/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect((await userinfo()).status).toBe(200);
    expect((await api("/users/erin/lock", { method: "POST", token: automation })).status).toBeLessThan(300);
    expect(
      (
        await api("/users/erin/password", {
          method: "PUT",
          token: automation,
          body: JSON.stringify({ password: "a new ember harbor 456" }),
        })
      ).status,
    ).toBeLessThan(300);
    expect((await api("/users/erin/lock", { method: "DELETE", token: automation })).status).toBeLessThan(300);
    const after = await refresh();
    expect(after.status).toBe(400);
    expect(await after.json()).toEqual({ error: "invalid_grant", error_description: "refresh token is revoked" });
    expect((await userinfo()).status).toBe(401);
    const again = await new Browser(server.issuer).authorizationCode({
      clientId: "rp",
      redirectUri: REDIRECT,
      scope: "openid offline_access",
      login: "erin",
      password: "a new ember harbor 456",
    });
    expect(again.access_token).toBeTruthy();
  });

  it("refuses a client's token once the client is no longer allowed the scope", async () => {
    const token = await clientToken("job");
    expect((await api("/clients", { token })).status).toBe(200);
    const job = await (await api("/clients/job", { token: automation })).json();
    const { secrets: _s, created_at: _c, updated_at: _u, ...settings } = job;
    expect((await api("/clients/job", { method: "PUT", token: automation, body: JSON.stringify({ ...settings, scope: "" }) })).status).toBe(
      200,
    );
    expect((await api("/clients", { token })).status).toBe(401);
  });
});

describe("admin API request bodies", () => {
  const create = (body: BodyInit, headers: Record<string, string> = {}) =>
    api("/clients", {
      method: "POST",
      token: automation,
      body,
      headers,
      ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
    } as RequestInit & { token: string });
  const client = (id: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ client_id: id, client_name: id, portcullis: { kind: "machine" }, ...extra });

  it("answers 415 to a body that is not application/json, and writes nothing", async () => {
    const res = await create(client("plain-text"), { "content-type": "text/plain" });
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({ error: { code: "unsupported_media_type", message: "the body must be application/json" } });
    expect((await api("/clients/plain-text", { token: automation })).status).toBe(404);
    expect((await create(client("with-charset"), { "content-type": "application/json; charset=utf-8" })).status).toBe(201);
  });

  it("answers 413 past the body limit, by Content-Length and by counting a streamed body", async () => {
    const big = client("too-big", { portcullis: { kind: "machine", description: "x".repeat(70 * 1024) } });
    const res = await create(big);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: { code: "payload_too_large", message: "the body must be at most 65536 bytes" } });
    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 8192) controller.enqueue(bytes.subarray(i, i + 8192));
        controller.close();
      },
    });
    const streamed = await create(stream);
    expect(streamed.status).toBe(413);
    expect((await streamed.json()).error.code).toBe("payload_too_large");
    expect((await api("/clients/too-big", { token: automation })).status).toBe(404);
  });

  it("answers 400 to JSON nested past the depth limit, before anything reaches the database", async () => {
    const deep = (n: number) =>
      '{"client_id":"deep","client_name":"deep","portcullis":{"kind":"machine"},"jwks":' + "[".repeat(n) + "]".repeat(n) + "}";
    for (const n of [10_000, 32]) {
      const res = await create(deep(n));
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: {
          code: "validation_failed",
          message: "the request has invalid fields",
          fields: [{ path: "", message: "the body must not nest deeper than 32 levels" }],
        },
      });
    }
    // 32 levels in all pass the limit and get the schema's answer.
    const shallow = await create(deep(31));
    expect(shallow.status).toBe(400);
    expect((await shallow.json()).error.fields[0].path).toBe("jwks");
  });
});

describe("admin API list queries", () => {
  it("refuses page numbers and sizes out of range", async () => {
    for (const [query, path, max] of [
      ["page=1000000000000000000000", "page", 1_000_000],
      ["page=0", "page", 1_000_000],
      ["page=-1", "page", 1_000_000],
      ["page=1.5", "page", 1_000_000],
      ["page_size=0", "page_size", 100],
      ["page_size=500", "page_size", 100],
      ["page_size=x", "page_size", 100],
    ] as const) {
      const res = await api(`/clients?${query}`, { token: automation });
      expect(res.status, query).toBe(400);
      expect(await res.json()).toEqual({
        error: {
          code: "validation_failed",
          message: "the request has invalid fields",
          fields: [{ path, message: `must be a whole number from 1 to ${max}` }],
        },
      });
    }
  });

  it("answers a page past the end with no items", async () => {
    const res = await api("/clients?page=99999&page_size=2", { token: automation });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ items: [], page: 99999, pageSize: 2 });
    expect(body.total).toBeGreaterThan(0);
  });
});
