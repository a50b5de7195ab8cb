import { beforeEach, describe, expect, it } from "vitest";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { token } from "@/lib/oidc";
import { addApi, addClient, basic, formRequest, ISSUER, SECRET, testProvider, type TestProvider } from "../helpers/provider";

const TOKEN = "/connect/token";
let p: TestProvider;

async function call(body: Parameters<typeof formRequest>[1], headers: Record<string, string> = basic("svc", SECRET)) {
  const res = await token(formRequest(TOKEN, body, headers), p.ctx);
  return { res, body: (await res.json()) as Record<string, unknown> };
}

beforeEach(async () => {
  p = await testProvider();
  await addApi(p.stores, "https://orders.example", ["orders.read", "orders.write"]);
  await addApi(p.stores, "https://ledger.example", ["ledger.read"], { signingAlg: "ES256" });
  await addClient(p.stores, { clientId: "svc", allowedScopes: ["orders.read", "orders.write", "ledger.read"] });
});

describe("client_credentials at the token endpoint", () => {
  it("issues an RFC 9068 JWT with no-store headers", async () => {
    const { res, body } = await call({ grant_type: "client_credentials", scope: "orders.read" });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("pragma")).toBe("no-cache");
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: "orders.read" });
    const jwt = body.access_token as string;
    expect(decodeProtectedHeader(jwt)).toMatchObject({ alg: "RS256", typ: "at+jwt" });
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(await p.ctx.keys.jwks()), {
      issuer: ISSUER,
      audience: "https://orders.example",
      typ: "at+jwt",
      currentDate: new Date(p.clock.now),
    });
    expect(payload).toMatchObject({
      sub: "svc",
      client_id: "svc",
      scope: "orders.read",
      iat: p.clock.now / 1000,
      exp: p.clock.now / 1000 + 3600,
    });
    expect(typeof payload.jti).toBe("string");
  });

  it("grants every allowed API scope when none is asked for, with one audience per API", async () => {
    const { body } = await call({ grant_type: "client_credentials" });
    expect(body.scope).toBe("orders.read orders.write ledger.read");
    const { payload } = await jwtVerify(body.access_token as string, createLocalJWKSet(await p.ctx.keys.jwks()), {
      currentDate: new Date(p.clock.now),
    });
    expect(payload.aud).toEqual(["https://orders.example", "https://ledger.example"]);
  });

  it("signs with the API resource's algorithm", async () => {
    const { body } = await call({ grant_type: "client_credentials", scope: "ledger.read" });
    expect(decodeProtectedHeader(body.access_token as string).alg).toBe("ES256");
  });

  it("narrows scopes and audience to the requested resource (RFC 8707)", async () => {
    const { body } = await call({ grant_type: "client_credentials", resource: "https://ledger.example" });
    expect(body.scope).toBe("ledger.read");
  });

  it("answers invalid_target for an unknown, malformed or forbidden resource", async () => {
    await addApi(p.stores, "https://hr.example", ["hr.read"]);
    for (const [resource, description] of [
      ["https://nowhere.example", "unknown resource https://nowhere.example"],
      ["orders", "resource indicator must be an absolute URI without a fragment"],
      ["https://orders.example#x", "resource indicator must be an absolute URI without a fragment"],
      ["https://hr.example", "client is not allowed to access resource https://hr.example"],
    ]) {
      const { res, body } = await call({ grant_type: "client_credentials", resource: resource! });
      expect(res.status).toBe(400);
      expect(body).toEqual({ error: "invalid_target", error_description: description });
    }
  });

  it("answers invalid_scope for an unknown, disallowed, identity or foreign-resource scope", async () => {
    await addApi(p.stores, "https://hr.example", ["hr.read"]);
    for (const [body, description] of [
      [{ scope: "nope" }, "requested scope is not allowed: nope"],
      [{ scope: "hr.read" }, "requested scope is not allowed: hr.read"],
      [{ scope: "openid" }, "requested scope is not allowed: openid"],
      [{ scope: "orders.read", resource: "https://ledger.example" }, "scope orders.read is not a scope of the requested resource"],
    ] as const) {
      const r = await call({ grant_type: "client_credentials", ...body });
      expect(r.res.status).toBe(400);
      expect(r.body).toEqual({ error: "invalid_scope", error_description: description });
    }
  });

  it("answers invalid_scope when the client has no API scope at all", async () => {
    await addClient(p.stores, { clientId: "empty", allowedScopes: [] });
    const { body } = await call({ grant_type: "client_credentials" }, basic("empty", SECRET));
    expect(body).toEqual({ error: "invalid_scope", error_description: "no scope requested and the client has no default scope" });
  });

  it("stores reference tokens by hash only", async () => {
    await addClient(p.stores, { clientId: "ref", accessTokenFormat: "reference" });
    const { body } = await call({ grant_type: "client_credentials", scope: "orders.read" }, basic("ref", SECRET));
    const handle = body.access_token as string;
    expect(handle).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = [...p.stores.data.grants.values()];
    expect(stored).toHaveLength(1);
    expect(stored[0]!.key).not.toContain(handle);
    expect(stored[0]!.data).toMatchObject({ client_id: "ref", scope: "orders.read", aud: "https://orders.example" });
  });
});

describe("token endpoint errors", () => {
  it("answers unsupported_grant_type for an unknown grant", async () => {
    const { res, body } = await call({ grant_type: "urn:example:nope" });
    expect(res.status).toBe(400);
    expect(body).toEqual({ error: "unsupported_grant_type", error_description: "unsupported grant_type requested (urn:example:nope)" });
  });

  it("answers unauthorized_client for a grant the client may not use", async () => {
    await addClient(p.stores, { clientId: "web", grantTypes: ["authorization_code"] });
    const { body } = await call({ grant_type: "client_credentials" }, basic("web", SECRET));
    expect(body).toEqual({ error: "unauthorized_client", error_description: "requested grant type is not allowed for this client" });
  });

  it("answers invalid_request for a missing grant_type, an empty body, a duplicated parameter", async () => {
    expect((await call({})).body).toEqual({ error: "invalid_request", error_description: "missing required parameter 'grant_type'" });
    expect((await call("")).body).toEqual({ error: "invalid_request", error_description: "missing required parameter 'grant_type'" });
    expect((await call("grant_type=client_credentials&grant_type=client_credentials")).body).toEqual({
      error: "invalid_request",
      error_description: "'grant_type' parameter must not be provided twice",
    });
  });

  it("answers 401 invalid_client with a Basic challenge for a wrong secret, unknown client, or wrong method", async () => {
    for (const headers of [basic("svc", "wrong"), basic("ghost", SECRET)]) {
      const { res, body } = await call({ grant_type: "client_credentials" }, headers);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe('Basic realm="portcullis"');
      expect(body).toEqual({ error: "invalid_client", error_description: "client authentication failed" });
    }
    const post = await call({ grant_type: "client_credentials", client_id: "svc", client_secret: SECRET }, {});
    expect(post.res.status).toBe(401);
    // Audited in aggregate: one event per client per window (tests/oidc/client-auth-failures.test.ts).
    await p.ctx.clientAuthFailures.flush();
    expect(p.stores.data.audit.filter((e) => e.type === "client_authentication_failed").map((e) => [e.clientId, e.details?.count])).toEqual(
      [
        ["svc", 2],
        ["(unknown client)", 1],
      ],
    );
  });

  it("answers invalid_client for a disabled client and ignores expired secrets", async () => {
    await addClient(p.stores, { clientId: "off", enabled: false });
    expect((await call({ grant_type: "client_credentials" }, basic("off", SECRET))).res.status).toBe(401);
    await addClient(p.stores, { clientId: "old" });
    p.stores.data.clients.get("old")!.secrets[0]!.expiresAt = new Date(p.clock.now - 1000);
    expect((await call({ grant_type: "client_credentials" }, basic("old", SECRET))).res.status).toBe(401);
  });

  it("answers invalid_request for bad Basic credentials and for two mechanisms at once", async () => {
    for (const authorization of ["Basic !!!", "Basic " + Buffer.from("no-colon").toString("base64"), "Bearer abc"]) {
      const { res, body } = await call({ grant_type: "client_credentials" }, { authorization });
      expect(res.status).toBe(400);
      expect(body).toEqual({ error: "invalid_request", error_description: "invalid authorization header value format" });
    }
    const both = await call({ grant_type: "client_credentials", client_secret: SECRET, client_id: "svc" });
    expect(both.body).toEqual({
      error: "invalid_request",
      error_description: "client authentication must only be provided using one mechanism",
    });
  });

  it("answers 401 invalid_client when no client authentication is given", async () => {
    const { res, body } = await call({ grant_type: "client_credentials" }, {});
    expect(res.status).toBe(401);
    expect(body).toEqual({ error: "invalid_client", error_description: "no client authentication mechanism provided" });
  });

  it("turns an unexpected failure into server_error without details", async () => {
    p.stores.clients.findClient = async () => {
      throw new Error("database on fire");
    };
    const { res, body } = await call({ grant_type: "client_credentials" });
    expect(res.status).toBe(500);
    expect(body).toEqual({ error: "server_error", error_description: "an unexpected error occurred" });
    expect(JSON.stringify(body)).not.toContain("fire");
    expect(p.logs[0]!.fields!.detail).toContain("database on fire");
  });

  it("decodes form-urlencoded Basic credentials (RFC 6749 section 2.3.1)", async () => {
    await addClient(p.stores, { clientId: "a:b c" }, "p@ss:word with spaces and more 123");
    const { res } = await call({ grant_type: "client_credentials" }, basic("a:b c", "p@ss:word with spaces and more 123"));
    expect(res.status).toBe(200);
  });
});
