/** The admin REST API on the built server, called as automation does: a portcullis:admin token from openid-client. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as oidc from "openid-client";
import { createTestDatabase, type TestDatabase } from "../helpers/databases";
import { eventually, startServer, type RunningServer } from "../helpers/server";

const SECRET = "automation-secret-automation-secret-01";
let database: TestDatabase;
let server: RunningServer;
let admin: string;
let plain: string;

const api = (path: string, init: RequestInit & { token?: string } = {}) =>
  fetch(`${server.issuer}/api/admin/v1${path}`, {
    ...init,
    headers: {
      "content-type": "application/json",
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.headers as Record<string, string>),
    },
  });

beforeAll(async () => {
  database = await createTestDatabase("sqlite");
  server = await startServer({
    databaseUrl: database.url,
    config: {
      api_resources: [{ name: "https://orders.example", scopes: [{ name: "orders.read" }] }],
      clients: [
        { client_id: "automation", client_name: "Automation", client_secret: SECRET, scope: "portcullis:admin orders.read" },
        { client_id: "reporting", client_name: "Reporting", client_secret: SECRET, scope: "orders.read" },
      ],
    },
  });
  const token = async (clientId: string, scope: string) => {
    const config = await oidc.discovery(new URL(server.issuer), clientId, undefined, oidc.ClientSecretBasic(SECRET), {
      execute: [oidc.allowInsecureRequests],
    });
    return (await oidc.clientCredentialsGrant(config, { scope })).access_token;
  };
  admin = await token("automation", "portcullis:admin");
  plain = await token("reporting", "orders.read");
});
afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

describe("admin REST API", () => {
  it("answers 401 without a token and 403 without the portcullis:admin scope", async () => {
    const none = await api("/clients");
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ error: { code: "unauthorized", message: "authentication required" } });
    const bad = await api("/clients", { token: "nope" });
    expect(bad.status).toBe(401);
    expect(bad.headers.get("www-authenticate")).toContain('error="invalid_token"');
    const weak = await api("/clients", { token: plain });
    expect(weak.status).toBe(403);
    expect(weak.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    expect((await weak.json()).error.code).toBe("forbidden");
  });

  it("creates, reads, lists, updates and deletes a client; the secret is shown once and works", async () => {
    const created = await api("/clients", {
      method: "POST",
      token: admin,
      body: JSON.stringify({ client_id: "billing", client_name: "Billing", scope: "orders.read", portcullis: { kind: "machine" } }),
    });
    expect(created.status).toBe(201);
    const { client, client_secret } = await created.json();
    expect(client).toMatchObject({
      client_id: "billing",
      token_endpoint_auth_method: "client_secret_basic",
      grant_types: ["client_credentials"],
    });
    expect(client.secrets).toHaveLength(1);
    expect(JSON.stringify(client)).not.toContain(client_secret);
    expect(client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // The new client can get a token right away (caches drop within a second).
    await eventually(
      async () =>
        (
          await fetch(`${server.issuer}/connect/token`, {
            method: "POST",
            headers: {
              "content-type": "application/x-www-form-urlencoded",
              authorization: "Basic " + Buffer.from(`billing:${client_secret}`).toString("base64"),
            },
            body: "grant_type=client_credentials",
          })
        ).status === 200,
    );

    const fetched = await (await api("/clients/billing", { token: admin })).json();
    expect(fetched.client_name).toBe("Billing");
    expect(fetched.secrets[0]).not.toHaveProperty("hash");
    const list = await (await api("/clients?search=bill", { token: admin })).json();
    expect(list.items.map((c: { client_id: string }) => c.client_id)).toEqual(["billing"]);
    expect(list.total).toBe(1);

    const updated = await api("/clients/billing", {
      method: "PUT",
      token: admin,
      body: JSON.stringify({ ...fetched, client_name: "Billing v2", secrets: undefined, created_at: undefined, updated_at: undefined }),
    });
    expect(updated.status).toBe(200);
    expect((await updated.json()).client_name).toBe("Billing v2");

    const rotated = await api("/clients/billing/secrets", {
      method: "POST",
      token: admin,
      body: JSON.stringify({ description: "rotation" }),
    });
    expect(rotated.status).toBe(201);
    const { secret } = await rotated.json();
    expect((await (await api("/clients/billing", { token: admin })).json()).secrets).toHaveLength(2);
    expect((await api(`/clients/billing/secrets/${secret.id}`, { method: "DELETE", token: admin })).status).toBe(204);

    expect((await api("/clients/billing", { method: "DELETE", token: admin })).status).toBe(204);
    expect((await api("/clients/billing", { token: admin })).status).toBe(404);
  });

  it("answers invalid bodies with the failing fields and writes nothing", async () => {
    const res = await api("/clients", {
      method: "POST",
      token: admin,
      body: JSON.stringify({
        client_id: "spa",
        client_name: "",
        scope: "openid nope",
        redirect_uris: ["http://evil.example/cb#x"],
        portcullis: { kind: "spa" },
      }),
    });
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.code).toBe("validation_failed");
    expect(error.fields).toEqual(
      expect.arrayContaining([
        { path: "client_name", message: "Enter a name." },
        { path: "redirect_uris[0]", message: "Redirect URIs must not contain a fragment (#...)." },
      ]),
    );
    const unknownScope = await api("/clients", {
      method: "POST",
      token: admin,
      body: JSON.stringify({
        client_id: "spa",
        client_name: "SPA",
        scope: "nope",
        redirect_uris: ["https://app.example/cb"],
        portcullis: { kind: "spa" },
      }),
    });
    expect((await unknownScope.json()).error.fields).toEqual([{ path: "scope", message: "unknown scope nope" }]);
    expect((await api("/clients/spa", { token: admin })).status).toBe(404);
    const badJson = await api("/clients", { method: "POST", token: admin, body: "{" });
    expect((await badJson.json()).error).toMatchObject({
      code: "validation_failed",
      fields: [{ path: "", message: "the body must be JSON" }],
    });
  });

  it("refuses a duplicate client_id and a plain-http redirect URI", async () => {
    const dup = await api("/clients", {
      method: "POST",
      token: admin,
      body: JSON.stringify({ client_id: "reporting", client_name: "Again", scope: "orders.read" }),
    });
    expect((await dup.json()).error.fields).toEqual([{ path: "client_id", message: "client_id reporting is already registered" }]);
    const http = await api("/clients", {
      method: "POST",
      token: admin,
      body: JSON.stringify({
        client_id: "web1",
        client_name: "Web",
        redirect_uris: ["http://app.example/cb"],
        portcullis: { kind: "web" },
      }),
    });
    expect((await http.json()).error.fields).toEqual([
      { path: "redirect_uris[0]", message: "Redirect URIs must use https (or http on a loopback address)." },
    ]);
  });

  it("takes a FAPI 2.0 client with PAR and DPoP switched on, and refuses settings that contradict the profile", async () => {
    const jwks = {
      keys: [
        { kty: "EC", crv: "P-256", x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0" },
      ],
    };
    const bank = {
      client_id: "bank",
      client_name: "Bank",
      token_endpoint_auth_method: "private_key_jwt",
      jwks,
      grant_types: ["authorization_code"],
      redirect_uris: ["https://bank.example/cb"],
      portcullis: { kind: "web", profile: "fapi2" },
    };
    const wrong = await api("/clients", {
      method: "POST",
      token: admin,
      body: JSON.stringify({
        ...bank,
        token_endpoint_auth_signing_alg: "RS256",
        portcullis: { ...bank.portcullis, authorization_code_lifetime: 300 },
      }),
    });
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).error.fields).toEqual([
      { path: "token_endpoint_auth_signing_alg", message: "FAPI 2.0 allows only PS256, ES256, EdDSA." },
      { path: "portcullis.authorization_code_lifetime", message: "FAPI 2.0 allows authorization codes of at most 60 seconds." },
    ]);
    const created = await api("/clients", { method: "POST", token: admin, body: JSON.stringify(bank) });
    expect(created.status).toBe(201);
    const stored = await (await api("/clients/bank", { token: admin })).json();
    expect(stored).toMatchObject({
      require_pushed_authorization_requests: true,
      dpop_bound_access_tokens: true,
      portcullis: { profile: "fapi2" },
    });
  });

  it("creates an API resource with a scope that a client can get a token for at once", async () => {
    const created = await api("/api-resources", {
      method: "POST",
      token: admin,
      body: JSON.stringify({
        name: "https://ledger.example",
        display_name: "Ledger",
        signing_alg: "ES256",
        scopes: [{ name: "ledger.read", description: "Read the ledger" }],
      }),
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ name: "https://ledger.example", signing_alg: "ES256", scopes: [{ name: "ledger.read" }] });
    const dup = await api("/api-resources", {
      method: "POST",
      token: admin,
      body: JSON.stringify({ name: "https://other.example", scopes: [{ name: "ledger.read" }] }),
    });
    expect((await dup.json()).error.fields).toEqual([
      { path: "scopes[0].name", message: "scope name ledger.read is already used by API resource https://ledger.example" },
    ]);
    const client = await api("/clients", {
      method: "POST",
      token: admin,
      body: JSON.stringify({ client_id: "ledger-sync", client_name: "Ledger sync", scope: "ledger.read", portcullis: { kind: "machine" } }),
    });
    const { client_secret } = await client.json();
    const token = await fetch(`${server.issuer}/connect/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: "Basic " + Buffer.from(`ledger-sync:${client_secret}`).toString("base64"),
      },
      body: "grant_type=client_credentials&resource=" + encodeURIComponent("https://ledger.example"),
    });
    expect(token.status).toBe(200);
    expect((await token.json()).scope).toBe("ledger.read");
    const secret = await api(`/api-resources/${encodeURIComponent("https://ledger.example")}/secrets`, {
      method: "POST",
      token: admin,
      body: "{}",
    });
    expect(secret.status).toBe(201);
    expect((await secret.json()).secret_value).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("manages users: create, search, lock, password, sessions, audit", async () => {
    const created = await api("/users", {
      method: "POST",
      token: admin,
      body: JSON.stringify({
        username: "carol",
        email: "Carol@Example.com",
        password: "cobalt-orchid-1",
        roles: ["staff"],
        claims: { name: "Carol" },
      }),
    });
    expect(created.status).toBe(201);
    const carol = await created.json();
    expect(carol).toMatchObject({ username: "carol", email: "carol@example.com", roles: ["staff"], locked: false });
    expect(JSON.stringify(carol)).not.toContain("password");
    const bad = await api("/users", {
      method: "POST",
      token: admin,
      body: JSON.stringify({ username: "dave", email: "not-an-email", password: "short" }),
    });
    expect((await bad.json()).error.fields.map((f: { path: string }) => f.path).sort()).toEqual(["email", "password"]);
    expect((await api("/users/dave", { token: admin })).status).toBe(404);
    const found = await (await api("/users?search=car", { token: admin })).json();
    expect(found.items.map((u: { username: string }) => u.username)).toEqual(["carol"]);
    expect((await api("/users/carol/lock", { method: "POST", token: admin })).status).toBe(204);
    expect((await (await api("/users/carol", { token: admin })).json()).locked).toBe(true);
    expect((await api("/users/carol/lock", { method: "DELETE", token: admin })).status).toBe(204);
    expect((await api("/users/carol/password", { method: "PUT", token: admin, body: JSON.stringify({ password: "x" }) })).status).toBe(400);
    expect(
      (await api("/users/carol/password", { method: "PUT", token: admin, body: JSON.stringify({ password: "a-new-password-2" }) })).status,
    ).toBe(204);
    expect(await (await api("/users/carol/sessions", { method: "DELETE", token: admin })).json()).toEqual({ revoked: 0 });
    expect((await (await api("/sessions", { token: admin })).json()).items).toEqual([]);
    const events = await (await api("/audit-events?type=admin.user_locked", { token: admin })).json();
    expect(events.items[0]).toMatchObject({ type: "admin.user_locked", actor: "client:automation", subject: carol.id });
  });

  it("serves an OpenAPI 3.1 document generated from the schemas", async () => {
    const doc = await (await fetch(`${server.issuer}/api/admin/v1/openapi.json`)).json();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.schemas.ClientInput.properties.client_id).toMatchObject({ type: "string" });
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/clients/{clientId}/secrets",
        "/api-resources/{name}",
        "/users/{username}/lock",
        "/sessions/{id}",
        "/audit-events",
      ]),
    );
    expect(doc.components.schemas.UserInput.properties.password).toMatchObject({ type: "string", maxLength: 256 });
  });
});
