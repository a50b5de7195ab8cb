/** The identity providers of the admin REST API on the built server, with a portcullis:admin token from openid-client. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as oidc from "openid-client";
import { createTestDatabase, type TestDatabase } from "../helpers/databases";
import { freePort, runCli, startServer, type RunningServer } from "../helpers/server";

const SECRET = "automation-secret-automation-secret-01";
const UPSTREAM_SECRET = "upstream-client-secret-do-not-show";
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
const send = (method: string, path: string, body?: unknown) =>
  api(path, { method, token: admin, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
/** Every answer's text, to check that the secret never appears in any of them. */
const seen: string[] = [];
const read = async (res: Response) => {
  const text = await res.text();
  seen.push(text);
  return text ? JSON.parse(text) : null;
};

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

describe("admin REST API: identity providers", () => {
  it("answers 403 for a token without portcullis:admin and 401 without one", async () => {
    const weak = await api("/identity-providers", { token: plain });
    expect(weak.status).toBe(403);
    expect((await weak.json()).error.code).toBe("forbidden");
    const post = await api("/identity-providers", {
      method: "POST",
      token: plain,
      body: JSON.stringify({ id: "x", display_name: "X", type: "github", client_id: "x" }),
    });
    expect(post.status).toBe(403);
    expect((await api("/identity-providers/x")).status).toBe(401);
  });

  it("creates, lists, reads, patches, replaces and deletes a provider; the secret is never returned", async () => {
    const created = await send("POST", "/identity-providers", {
      id: "corp",
      display_name: "Corp SSO",
      type: "oidc",
      issuer: "https://sso.corp.example",
      client_id: "portcullis",
      client_secret: UPSTREAM_SECRET,
      email_domains: ["Corp.Example"],
    });
    expect(created.status).toBe(201);
    const view = await read(created);
    expect(view).toMatchObject({
      id: "corp",
      display_name: "Corp SSO",
      type: "oidc",
      issuer: "https://sso.corp.example",
      client_id: "portcullis",
      enabled: true,
      claims: {},
      trust_email: false,
      first_login: "create_or_link",
      email_domains: ["corp.example"],
      callback_url: `${server.issuer}/interaction/external/callback/corp`,
    });
    expect(view).not.toHaveProperty("client_secret");

    const again = await send("POST", "/identity-providers", { id: "corp", display_name: "Corp", type: "github", client_id: "y" });
    expect(again.status).toBe(400);
    expect((await read(again))!.error.fields).toEqual([{ path: "id", message: "identity provider corp already exists" }]);

    const list = await send("GET", "/identity-providers");
    expect(list.status).toBe(200);
    expect((await read(list))!.items.map((p: { id: string }) => p.id)).toEqual(["corp"]);

    const got = await send("GET", "/identity-providers/corp");
    expect(got.status).toBe(200);
    expect(await read(got)).toEqual(view);

    const patched = await send("PATCH", "/identity-providers/corp", { enabled: false, trust_email: true });
    expect(patched.status).toBe(200);
    expect(await read(patched)).toMatchObject({ enabled: false, trust_email: true, display_name: "Corp SSO" });

    const replaced = await send("PUT", "/identity-providers/corp", { display_name: "GitHub", type: "github", client_id: "gh" });
    expect(replaced.status).toBe(200);
    const r = (await read(replaced))!;
    expect(r).toMatchObject({ id: "corp", type: "github", client_id: "gh", enabled: true, trust_email: false });
    expect(r).not.toHaveProperty("issuer");

    expect((await send("GET", "/identity-providers/nope")).status).toBe(404);
    const gone = await send("DELETE", "/identity-providers/corp");
    expect(gone.status).toBe(204);
    const missing = await send("GET", "/identity-providers/corp");
    expect(missing.status).toBe(404);
    expect(await read(missing)).toEqual({ error: { code: "not_found", message: "identity provider corp not found" } });
  });

  it("refuses invalid fields with their paths in plain words, also after merging a patch", async () => {
    const bad = await send("POST", "/identity-providers", {
      id: "Not Valid",
      display_name: "",
      type: "saml",
      client_id: "c",
    });
    expect(bad.status).toBe(400);
    const body = (await read(bad))!;
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.fields).toEqual([
      { path: "id", message: "must be 1 to 63 lowercase letters, digits, - or _, starting with a letter or digit" },
      { path: "display_name", message: "must not be empty" },
      { path: "type", message: "must be one of oidc, oauth2, github, google, microsoft-entra-id, gitlab" },
    ]);

    const noIssuer = await send("POST", "/identity-providers", { id: "o", display_name: "O", type: "oidc", client_id: "c" });
    expect((await read(noIssuer))!.error.fields).toEqual([
      { path: "issuer", message: "an oidc provider needs its issuer (its discovery document is read from there)" },
    ]);

    expect((await send("POST", "/identity-providers", { id: "gh", display_name: "GitHub", type: "github", client_id: "c" })).status).toBe(
      201,
    );
    const patch = await send("PATCH", "/identity-providers/gh", { type: "oauth2" });
    expect(patch.status).toBe(400);
    expect((await read(patch))!.error.fields).toEqual([
      { path: "authorization_endpoint", message: "an oauth2 provider needs its authorization, token and userinfo endpoints" },
      { path: "token_endpoint", message: "an oauth2 provider needs its authorization, token and userinfo endpoints" },
      { path: "userinfo_endpoint", message: "an oauth2 provider needs its authorization, token and userinfo endpoints" },
    ]);
    const unknown = await send("PATCH", "/identity-providers/gh", { id: "other" });
    expect(unknown.status).toBe(400);
    expect((await read(unknown))!.error.fields[0].path).toBe("");
    expect((await send("DELETE", "/identity-providers/gh")).status).toBe(204);
  });

  it("audits every change with before and after, never the secret", async () => {
    await send("POST", "/identity-providers", {
      id: "audited",
      display_name: "Audited",
      type: "google",
      client_id: "g",
      client_secret: UPSTREAM_SECRET,
    });
    await send("PATCH", "/identity-providers/audited", { client_secret: `${UPSTREAM_SECRET}-2`, display_name: "Audited 2" });
    await send("DELETE", "/identity-providers/audited");
    const events = async (type: string) => (await read(await send("GET", `/audit-events?type=${type}`)))!.items;
    const [created] = await events("admin.identity_provider_created");
    expect(created).toMatchObject({
      actor: "client:automation",
      details: { after: { id: "audited", display_name: "Audited", has_client_secret: true } },
    });
    const updated = (await events("admin.identity_provider_updated")).find(
      (e: { details: { after: { id: string } } }) => e.details.after.id === "audited",
    );
    expect(updated.details.before.display_name).toBe("Audited");
    expect(updated.details.after.display_name).toBe("Audited 2");
    const [deleted] = await events("admin.identity_provider_deleted");
    expect(deleted.details.before).toMatchObject({ id: "audited", display_name: "Audited 2" });
    expect(seen.join("\n")).not.toContain(UPSTREAM_SECRET);
  });

  it("exports a provider made through the API without its secret (portcullis export)", async () => {
    const made = await send("POST", "/identity-providers", {
      id: "exported",
      display_name: "Exported",
      type: "github",
      client_id: "gh",
      client_secret: UPSTREAM_SECRET,
    });
    expect(made.status).toBe(201);
    const exported = await runCli(server.env, ["export"]);
    expect(exported.code).toBe(0);
    expect(exported.stdout).not.toContain(UPSTREAM_SECRET);
    const file = JSON.parse(exported.stdout) as { identity_providers: Record<string, unknown>[] };
    expect(file.identity_providers).toEqual([
      {
        id: "exported",
        display_name: "Exported",
        type: "github",
        client_id: "gh",
        enabled: true,
        claims: {},
        trust_email: false,
        first_login: "create_or_link",
        email_domains: [],
      },
    ]);
  });

  it("is in the OpenAPI document", async () => {
    const doc = (await read(await send("GET", "/openapi.json")))!;
    expect(Object.keys(doc.paths["/identity-providers"])).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/identity-providers/{id}"])).toEqual(["parameters", "get", "put", "patch", "delete"]);
    expect(doc.components.schemas.IdentityProvider.allOf[0].properties).not.toHaveProperty("client_secret");
  });

  it("checks a provider (nothing listens at its issuer) and removes its secret with PUT client_secret: null", async () => {
    const issuer = `http://127.0.0.1:${await freePort()}`;
    const body = { display_name: "Checked", type: "oidc", issuer, client_id: "c" };
    expect((await send("POST", "/identity-providers", { id: "checked", ...body, client_secret: UPSTREAM_SECRET })).status).toBe(201);
    const checked = await send("POST", "/identity-providers/checked/check");
    expect(checked.status).toBe(200);
    const result = await read(checked);
    expect(result.ok).toBe(false);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0].level).toBe("error");
    expect(result.findings[0].message).toContain(
      `The discovery document at ${issuer}/.well-known/openid-configuration could not be read: unreachable`,
    );
    expect((await send("POST", "/identity-providers/none/check")).status).toBe(404);

    expect((await send("PUT", "/identity-providers/checked", { ...body, client_secret: null })).status).toBe(200);
    const updates = (await read(await send("GET", "/audit-events?type=admin.identity_provider_updated")))!.items;
    const removal = updates.find((e: { details: { after: { id: string } } }) => e.details.after.id === "checked");
    expect(removal.details).toMatchObject({ before: { has_client_secret: true }, after: { has_client_secret: false } });
    expect((await send("DELETE", "/identity-providers/checked")).status).toBe(204);
  });
});
