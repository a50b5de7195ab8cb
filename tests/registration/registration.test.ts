/**
 * Dynamic client registration (RFC 7591) and management (RFC 7592) on each database, with
 * openid-client and oauth4webapi as the registering clients, talking to the provider in process
 * through their customFetch: initial access tokens (expiry, max uses counted atomically across
 * two instances, revocation), the registration policy, metadata errors, read/update/delete.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as oidc from "openid-client";
import * as oauth from "oauth4webapi";
import { routeProtocol, type ProviderContext } from "@/lib/oidc";
import { importConfig } from "@/lib/admin/config-transfer";
import type { Principal } from "@/lib/admin/access";
import { createClientRegistrar, createRegistrationAdmin, type RegistrationAdmin } from "@/lib/admin/registration";
import { createPrismaConfigRepository } from "@/lib/stores/prisma/config-repository";
import { createPrismaClientAdminStore } from "@/lib/stores/prisma/clients-admin";
import { createPrismaRegistrationStore } from "@/lib/stores/prisma/registration";
import { createPrismaStores } from "@/lib/stores/prisma";
import type { Db } from "@/lib/db";
import { databaseKinds } from "../helpers/databases";
import { databasePool, prismaProvider, testClock, type Clock } from "../helpers/prisma-provider";
import { ISSUER } from "../helpers/provider";

const ORDERS = "https://orders.example";
const REGISTRATION = `${ISSUER}/connect/register`;
const pool = databasePool();
afterAll(() => pool.dropAll());

const POLICY = {
  mode: "token" as const,
  allowedScopes: ["openid", "profile", "offline_access", "orders.read"],
  allowedGrantTypes: ["authorization_code", "refresh_token", "client_credentials"],
};

function registrarOn(db: Db) {
  return createClientRegistrar({
    clients: createPrismaClientAdminStore(db),
    store: createPrismaRegistrationStore(db),
    repo: createPrismaConfigRepository(db),
    audit: createPrismaStores(db).audit,
    policy: POLICY,
  });
}

const fetchOn =
  (ctx: ProviderContext): oidc.CustomFetch =>
  async (url, options) => {
    const req = new Request(url, { method: options.method, headers: options.headers, body: options.body as BodyInit | undefined });
    return (await routeProtocol(req, ctx, new URL(url).pathname)) ?? new Response("not found", { status: 404 });
  };

const root = {} as Principal;

for (const kind of databaseKinds) {
  describe(`dynamic client registration on ${kind}`, () => {
    let ctx: ProviderContext;
    let second: ProviderContext;
    let db: Db;
    let clock: Clock;
    let admin: RegistrationAdmin;

    const call = (c: ProviderContext, path: string, init: RequestInit = {}) => routeProtocol(new Request(ISSUER + path, init), c, path)!;
    const register = (body: unknown, token?: string, c = ctx) =>
      call(c, "/connect/register", {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
    const issue = async (input: Record<string, unknown> = {}) => (await admin.issue(root, input)).initial_access_token;
    const usesOf = async (token: string) => (await admin.list(root)).find((t) => t.description === token)?.uses;

    beforeAll(async () => {
      const database = await pool.create(kind);
      clock = testClock();
      clock.now = Date.now(); // openid-client checks token times against the real clock
      const a = await prismaProvider(database.url, clock, { settings: { registration: POLICY }, registrar: registrarOn });
      const b = await prismaProvider(database.url, clock, { settings: { registration: POLICY }, registrar: registrarOn });
      database.track(a.db);
      database.track(b.db);
      ctx = a.ctx;
      second = b.ctx;
      db = a.db;
      await ctx.keys.maintain();
      const repo = createPrismaConfigRepository(db);
      await importConfig(repo, {
        identity_resources: [
          { name: "openid", claims: ["sub"] },
          { name: "profile", claims: ["name"] },
        ],
        api_resources: [{ name: ORDERS, scopes: [{ name: "orders.read" }, { name: "orders.write" }] }],
        clients: [{ client_id: "admin-made", client_name: "Admin made", client_secret: "x".repeat(40), scope: "orders.read" }],
      });
      const authorize = async () => ({ id: "root", name: "user:root" });
      admin = createRegistrationAdmin(createPrismaRegistrationStore(db), createPrismaStores(db).audit, authorize, () => clock.now, POLICY);
    });

    it("advertises registration_endpoint; openid-client registers a machine client and gets a token with it", async () => {
      const token = await issue({ description: "oidc" });
      const config = await oidc.dynamicClientRegistration(
        new URL(ISSUER),
        // openid-client authenticates with client_secret_post by default after registering.
        {
          client_name: "Orders job",
          grant_types: ["client_credentials"],
          scope: "orders.read",
          token_endpoint_auth_method: "client_secret_post",
        },
        undefined,
        { initialAccessToken: token, [oidc.customFetch]: fetchOn(ctx) },
      );
      expect(config.serverMetadata().registration_endpoint).toBe(REGISTRATION);
      const meta = config.clientMetadata();
      expect(meta).toMatchObject({
        client_name: "Orders job",
        grant_types: ["client_credentials"],
        token_endpoint_auth_method: "client_secret_post",
        scope: "orders.read",
        client_secret_expires_at: 0,
        registration_client_uri: `${REGISTRATION}/${meta.client_id}`,
      });
      expect(meta.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(meta.registration_access_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(meta.portcullis).toBeUndefined();
      // Stored hashed only.
      const row = await db.client.findUniqueOrThrow({ where: { clientId: meta.client_id }, include: { secrets: true } });
      expect(row.secrets[0]!.hash).toMatch(/^sha256:/);
      expect(row.secrets[0]!.hash).not.toContain(meta.client_secret as string);
      expect(row.registrationAccessTokenHash).toMatch(/^sha256:/);
      expect(row.kind).toBe("machine");
      const tokens = await oidc.clientCredentialsGrant(config, { scope: "orders.read" });
      expect(tokens.scope).toBe("orders.read");
      expect(await usesOf("oidc")).toBe(1);
      const view = await createPrismaClientAdminStore(db).get(meta.client_id);
      expect(view?.registered_dynamically).toBe(true);
      expect((await createPrismaClientAdminStore(db).get("admin-made"))?.registered_dynamically).toBe(false);
      const audit = await db.auditEvent.findFirstOrThrow({ where: { type: "registration.client_registered", clientId: meta.client_id } });
      expect(audit.actor).toMatch(/^initial_access_token:/);
    });

    it("oauth4webapi registers a public web client: defaults, derived kind, no secret, portcullis ignored", async () => {
      const token = await issue();
      const as = (await oauth.processDiscoveryResponse(
        new URL(ISSUER),
        await oauth.discoveryRequest(new URL(ISSUER), { [oauth.customFetch]: fetchOn(ctx) }),
      )) as oauth.AuthorizationServer;
      const res = await oauth.dynamicClientRegistrationRequest(
        as,
        {
          redirect_uris: ["https://app.example/cb"],
          token_endpoint_auth_method: "none",
          scope: "openid profile offline_access",
          portcullis: { require_consent: false, enabled: true },
          surprise_field: "ignored",
        } as Partial<oauth.Client>,
        { initialAccessToken: token, [oauth.customFetch]: fetchOn(ctx) },
      );
      expect(res.status).toBe(201);
      expect(res.headers.get("cache-control")).toBe("no-store");
      const client = await oauth.processDynamicClientRegistrationResponse(res);
      expect(client).toMatchObject({
        grant_types: ["authorization_code"],
        response_types: ["code"],
        redirect_uris: ["https://app.example/cb"],
        token_endpoint_auth_method: "none",
        scope: "openid profile offline_access",
        client_name: client.client_id,
      });
      expect(client.client_secret).toBeUndefined();
      expect(client.client_secret_expires_at).toBeUndefined();
      expect(client.surprise_field).toBeUndefined();
      const stored = (await ctx.stores.clients.findClient(client.client_id))!;
      expect(stored).toMatchObject({ requireConsent: true, allowOfflineAccess: true, tokenEndpointAuthMethod: "none" });
      expect((await db.client.findUniqueOrThrow({ where: { clientId: client.client_id } })).kind).toBe("spa");
    });

    it("answers 401 with a Bearer invalid_token challenge without a valid initial access token", async () => {
      for (const token of [undefined, "not-issued-here"]) {
        const res = await register({ redirect_uris: ["https://app.example/cb"] }, token);
        expect(res.status).toBe(401);
        expect(res.headers.get("www-authenticate")).toMatch(/^Bearer realm="portcullis", error="invalid_token"/);
        expect((await res.json()).error).toBe("invalid_token");
      }
    });

    it("refuses bad metadata with invalid_redirect_uri or invalid_client_metadata, naming the field, without spending a use", async () => {
      const token = await issue({ description: "bad", max_uses: 1 });
      const cases: [unknown, string, string][] = [
        [
          { redirect_uris: ["http://evil.example/cb"] },
          "invalid_redirect_uri",
          "redirect_uris[0]: Redirect URIs must use https (or http on a loopback address).",
        ],
        [
          { redirect_uris: ["https://app.example/cb#x"] },
          "invalid_redirect_uri",
          "redirect_uris[0]: Redirect URIs must not contain a fragment (#...).",
        ],
        [
          { grant_types: ["authorization_code"] },
          "invalid_redirect_uri",
          "redirect_uris: Enter at least one redirect URI: the authorization code flow needs one.",
        ],
        [
          { grant_types: ["client_credentials"], token_endpoint_auth_method: "none" },
          "invalid_client_metadata",
          "grant_types: Client credentials needs a confidential client: choose an authentication method other than none.",
        ],
        [
          { redirect_uris: ["https://app.example/cb"], scope: "orders.write" },
          "invalid_client_metadata",
          "scope: orders.write is not allowed for registered clients",
        ],
        [
          { grant_types: ["urn:ietf:params:oauth:grant-type:token-exchange"] },
          "invalid_client_metadata",
          "grant_types: urn:ietf:params:oauth:grant-type:token-exchange is not allowed for registered clients",
        ],
        [{ redirect_uris: "https://app.example/cb" }, "invalid_redirect_uri", "redirect_uris: Give a list."],
        [{ redirect_uris: ["https://app.example/cb"], contacts: "a@b.example" }, "invalid_client_metadata", "contacts: Give a list."],
        [
          { redirect_uris: ["https://app.example/cb"], token_endpoint_auth_method: "tls_client_auth" },
          "invalid_client_metadata",
          expect.stringMatching(/^token_endpoint_auth_method: /) as unknown as string,
        ],
        ["[1,2]", "invalid_client_metadata", "request body must be a JSON object"],
        ["{nope", "invalid_client_metadata", "request body is not valid JSON"],
      ];
      for (const [body, error, description] of cases) {
        const res = await register(body, token);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.headers.get("www-authenticate")).toBeNull();
        expect(await res.json(), JSON.stringify(body)).toEqual({ error, error_description: description });
      }
      const wrongType = await call(ctx, "/connect/register", {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
        body: "a=b",
      });
      expect(wrongType.status).toBe(400);
      expect((await wrongType.json()).error).toBe("invalid_request");
      const huge = await register({ client_name: "x".repeat(70 * 1024) }, token);
      expect(await huge.json()).toEqual({ error: "invalid_request", error_description: "request body is too large" });
      expect(await usesOf("bad")).toBe(0);
      expect((await register({ redirect_uris: ["https://app.example/cb"] }, token)).status).toBe(201);
    });

    it("counts max_uses atomically across two instances", async () => {
      const token = await issue({ description: "race", max_uses: 3 });
      const body = { redirect_uris: ["https://app.example/cb"], scope: "openid" };
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => register(body, token, i % 2 ? second : ctx)));
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 201, 201, 401, 401, 401, 401, 401, 401, 401]);
      expect(await usesOf("race")).toBe(3);
    });

    it("refuses an expired or revoked initial access token", async () => {
      const expiring = await issue({ description: "expiring", expires_at: new Date(clock.now + 60_000).toISOString() });
      const body = { redirect_uris: ["https://app.example/cb"] };
      expect((await register(body, expiring)).status).toBe(201);
      clock.advance(61);
      expect((await register(body, expiring)).status).toBe(401);
      const revoked = await admin.issue(root, { description: "revoked" });
      await admin.revoke(root, revoked.token.id);
      await expect(admin.revoke(root, revoked.token.id)).rejects.toMatchObject({ code: "not_found" });
      expect((await register(body, revoked.initial_access_token)).status).toBe(401);
      const audit = await db.auditEvent.findMany({ where: { type: { startsWith: "admin.initial_access_token_" } } });
      expect(audit.some((e) => e.type === "admin.initial_access_token_revoked" && e.actor === "user:root")).toBe(true);
      expect(JSON.stringify(audit)).not.toContain(revoked.initial_access_token);
    });

    it("reads, replaces and deletes a registered client with its registration access token (RFC 7592)", async () => {
      const created = await register({ redirect_uris: ["https://app.example/cb"], client_name: "Managed" }, await issue());
      const client = (await created.json()) as Record<string, string> & { client_id: string };
      const uri = new URL(client.registration_client_uri!).pathname;
      const auth = { authorization: `Bearer ${client.registration_access_token}` };
      const json = { "content-type": "application/json", ...auth };

      const read = await call(ctx, uri, { headers: auth });
      expect(read.status).toBe(200);
      const readBody = await read.json();
      expect(readBody).toMatchObject({
        client_id: client.client_id,
        client_name: "Managed",
        registration_client_uri: client.registration_client_uri,
      });
      expect(readBody.client_secret).toBeUndefined();
      expect(readBody.registration_access_token).toBeUndefined();

      for (const headers of [{}, { authorization: "Bearer wrong" }] as Record<string, string>[]) {
        const res = await call(ctx, uri, { headers });
        expect(res.status).toBe(401);
        expect(res.headers.get("www-authenticate")).toMatch(/^Bearer realm="portcullis", error="invalid_token"/);
      }
      // An administrator's client cannot be managed this way, whatever the token.
      const adminMade = await call(ctx, "/connect/register/admin-made", { headers: auth });
      expect(adminMade.status).toBe(401);

      // An administrator disables the client: the client's own PUT does not re-enable it.
      await db.client.update({ where: { clientId: client.client_id }, data: { enabled: false } });
      const put = await call(ctx, uri, {
        method: "PUT",
        headers: json,
        body: JSON.stringify({ client_id: client.client_id, client_name: "Renamed", redirect_uris: ["https://app.example/other"] }),
      });
      expect(put.status).toBe(200);
      expect(await put.json()).toMatchObject({ client_name: "Renamed", redirect_uris: ["https://app.example/other"] });
      expect((await ctx.stores.clients.findClient(client.client_id))!).toMatchObject({
        enabled: false,
        redirectUris: ["https://app.example/other"],
      });

      const badPut = await call(ctx, uri, {
        method: "PUT",
        headers: json,
        body: JSON.stringify({ client_id: client.client_id, redirect_uris: ["http://evil.example/cb"] }),
      });
      expect(badPut.status).toBe(400);
      expect((await badPut.json()).error).toBe("invalid_redirect_uri");
      const noId = await call(ctx, uri, {
        method: "PUT",
        headers: json,
        body: JSON.stringify({ redirect_uris: ["https://app.example/cb"] }),
      });
      expect(await noId.json()).toEqual({
        error: "invalid_client_metadata",
        error_description: "client_id must be the registered client's",
      });

      const del = await call(ctx, uri, { method: "DELETE", headers: auth });
      expect(del.status).toBe(204);
      expect(await ctx.stores.clients.findClient(client.client_id)).toBeNull();
      expect((await call(ctx, uri, { headers: auth })).status).toBe(401);
      const types = (await db.auditEvent.findMany({ where: { clientId: client.client_id }, orderBy: { createdAt: "asc" } })).map(
        (e) => e.type,
      );
      expect(types).toEqual(["registration.client_registered", "registration.client_updated", "registration.client_deleted"]);
    });

    it("serves nothing and advertises nothing when registration is off; open registration needs no token", async () => {
      const off = await prismaProvider((await pool.create(kind)).url, clock, {
        settings: { registration: { ...POLICY, mode: "off" } },
        registrar: registrarOn,
      });
      const meta = await (await call(off.ctx, "/.well-known/openid-configuration")).json();
      expect(meta.registration_endpoint).toBeUndefined();
      expect((await register({ redirect_uris: ["https://app.example/cb"] }, undefined, off.ctx)).status).toBe(404);
      await off.db.$disconnect();

      const openDb = await pool.create(kind);
      const open = await prismaProvider(openDb.url, clock, {
        settings: { registration: { ...POLICY, mode: "open" } },
        registrar: registrarOn,
      });
      openDb.track(open.db);
      await importConfig(createPrismaConfigRepository(open.db), { identity_resources: [{ name: "openid", claims: ["sub"] }] });
      const res = await register({ redirect_uris: ["https://app.example/cb"], scope: "openid" }, undefined, open.ctx);
      expect(res.status).toBe(201);
      const audit = await open.db.auditEvent.findFirstOrThrow({ where: { type: "registration.client_registered" } });
      expect(audit.actor).toBe("open_registration");
    });
  });
}
