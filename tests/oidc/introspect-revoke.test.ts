import { beforeEach, describe, expect, it } from "vitest";
import { createProvider, introspect, revoke, token } from "@/lib/oidc";
import { addApi, addClient, basic, formRequest, ISSUER, SECRET, testProvider, type TestProvider } from "../helpers/provider";

const API_SECRET = "api-secret-api-secret-api-secret-api-secret";
let p: TestProvider;

async function issue(clientId: string, scope = "orders.read") {
  const res = await token(formRequest("/connect/token", { grant_type: "client_credentials", scope }, basic(clientId, SECRET)), p.ctx);
  return ((await res.json()) as { access_token: string }).access_token;
}
async function inspect(tokenValue: string, headers: Record<string, string>) {
  const res = await introspect(formRequest("/connect/introspect", { token: tokenValue }, headers), p.ctx);
  return { res, body: (await res.json()) as Record<string, unknown> };
}

beforeEach(async () => {
  p = await testProvider();
  await addApi(p.stores, "https://orders.example", ["orders.read"], {}, API_SECRET);
  await addApi(p.stores, "https://ledger.example", ["ledger.read"], {}, API_SECRET);
  await addClient(p.stores, { clientId: "jwt", allowedScopes: ["orders.read", "ledger.read"] });
  await addClient(p.stores, { clientId: "ref", accessTokenFormat: "reference", allowedScopes: ["orders.read"] });
});

describe("introspection (RFC 7662)", () => {
  it("tells an API resource about a token for it, JWT or reference", async () => {
    for (const client of ["jwt", "ref"]) {
      const { res, body } = await inspect(await issue(client), basic("https://orders.example", API_SECRET));
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(body).toMatchObject({
        active: true,
        client_id: client,
        scope: "orders.read",
        aud: "https://orders.example",
        token_type: "Bearer",
        sub: client,
      });
    }
  });

  it("says inactive to an API resource that is not the audience", async () => {
    const { body } = await inspect(await issue("jwt"), basic("https://ledger.example", API_SECRET));
    expect(body).toEqual({ active: false });
  });

  it("lets a client see only its own tokens", async () => {
    const t = await issue("ref");
    expect((await inspect(t, basic("ref", SECRET))).body.active).toBe(true);
    expect((await inspect(t, basic("jwt", SECRET))).body).toEqual({ active: false });
  });

  it("says inactive for expired, unknown, tampered tokens and tokens of a disabled client", async () => {
    const api = basic("https://orders.example", API_SECRET);
    const jwt = await issue("jwt");
    expect((await inspect(jwt.slice(0, -2) + "AA", api)).body).toEqual({ active: false });
    expect((await inspect("unknown-handle", api)).body).toEqual({ active: false });
    const ref = await issue("ref");
    p.stores.data.clients.get("ref")!.enabled = false;
    expect((await inspect(ref, api)).body).toEqual({ active: false });
    p.clock.advance(3601);
    expect((await inspect(jwt, api)).body).toEqual({ active: false });
  });

  it("answers 401 invalid_client to a wrong API secret and invalid_request without a token", async () => {
    const bad = await inspect("x", basic("https://orders.example", "nope"));
    expect(bad.res.status).toBe(401);
    expect(bad.res.headers.get("www-authenticate")).toBe('Basic realm="portcullis"');
    expect(bad.body).toEqual({ error: "invalid_client", error_description: "client authentication failed" });
    const res = await introspect(formRequest("/connect/introspect", {}, basic("https://orders.example", API_SECRET)), p.ctx);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "invalid_request", error_description: "missing required parameter 'token'" });
  });
});

describe("revocation (RFC 7009)", () => {
  const revokeAs = async (clientId: string, t: string, extra: Record<string, string> = {}) =>
    revoke(formRequest("/connect/revocation", { token: t, ...extra }, basic(clientId, SECRET)), p.ctx);

  it("revokes a reference token: introspection then says inactive", async () => {
    const t = await issue("ref");
    const res = await revokeAs("ref", t, { token_type_hint: "access_token" });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    expect((await inspect(t, basic("https://orders.example", API_SECRET))).body).toEqual({ active: false });
    expect(p.stores.data.audit.some((e) => e.type === "token_revoked")).toBe(true);
  });

  it("answers 200 for an unknown token and ignores an unknown hint", async () => {
    expect((await revokeAs("ref", "never-issued", { token_type_hint: "something_else" })).status).toBe(200);
  });

  it("refuses to revoke another client's token", async () => {
    const t = await issue("ref");
    const res = await revokeAs("jwt", t);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: "invalid_request",
      error_description: "client is not authorized to revoke the presented token",
    });
    expect((await inspect(t, basic("https://orders.example", API_SECRET))).body.active).toBe(true);
  });

  it("revokes a JWT access token (RFC 7009 2): introspection refuses it from then on, on every instance", async () => {
    const other = await createProvider({
      settings: { issuer: ISSUER, cacheTtl: 0 },
      stores: p.stores,
      secret: "test-server-secret-test-server-secret",
      now: () => p.clock.now,
    });
    const asApi = basic("https://orders.example", API_SECRET);
    const [revoked, kept] = [await issue("jwt"), await issue("jwt")];
    const onOther = async (t: string) =>
      (await (await introspect(formRequest("/connect/introspect", { token: t }, asApi), other)).json()) as { active: boolean };
    expect((await onOther(revoked)).active).toBe(true);
    const res = await revokeAs("jwt", revoked);
    expect(res.status).toBe(200);
    expect((await inspect(revoked, asApi)).body).toEqual({ active: false });
    expect((await inspect(kept, asApi)).body.active).toBe(true);
    // The other instance notices through the change feed, polled at most once a second.
    p.clock.advance(2);
    await onOther(revoked);
    await new Promise((r) => setImmediate(r));
    expect(await onOther(revoked)).toEqual({ active: false });
    expect((await onOther(kept)).active).toBe(true);
    expect(p.stores.data.audit.at(-1)).toMatchObject({ type: "token_revoked", clientId: "jwt" });
  });

  it("refuses to revoke another client's JWT access token", async () => {
    await addClient(p.stores, { clientId: "jwt2", allowedScopes: ["orders.read"] });
    const res = await revokeAs("jwt2", await issue("jwt"));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: "invalid_request",
      error_description: "client is not authorized to revoke the presented token",
    });
  });

  it("requires client authentication", async () => {
    const res = await revoke(formRequest("/connect/revocation", { token: "x" }), p.ctx);
    expect(res.status).toBe(401);
  });
});
