/**
 * Pairwise subject identifiers (OpenID Connect Core 8.1) with openid-client as the relying party:
 * a pairwise client sees one sub per sector in the ID token, at userinfo and introspection and in
 * its JWT access tokens, while the server still finds (and revokes) the user behind it.
 */
import { beforeEach, describe, expect, it } from "vitest";
import * as oidc from "openid-client";
import { createLocalJWKSet, decodeJwt, jwtVerify } from "jose";
import { introspect, revokeUserTokens, token } from "@/lib/oidc";
import { createMetadata } from "@/lib/oidc/discovery";
import { clientInput } from "@/lib/schemas/client";
import { addApi, addClient, addUser, basic, formRequest, ISSUER, SECRET, testProvider, type TestProvider } from "../helpers/provider";
import { discover, visitSignedIn } from "../helpers/in-process-rp";

let p: TestProvider;

beforeEach(async () => {
  p = await testProvider();
  p.clock.now = Date.now(); // openid-client checks token times against the real clock
  p.stores.data.identityResources.push(
    { name: "openid", enabled: true, claims: ["sub"], showInDiscovery: true },
    { name: "profile", enabled: true, claims: ["name"], showInDiscovery: true },
  );
  const interactive = { grantTypes: ["authorization_code"], allowedScopes: ["openid", "profile"], requireConsent: false };
  await addClient(p.stores, { clientId: "a", ...interactive, redirectUris: ["https://a.example/cb"], subjectType: "pairwise" });
  await addClient(p.stores, { clientId: "a2", ...interactive, redirectUris: ["https://a.example/other"], subjectType: "pairwise" });
  await addClient(p.stores, { clientId: "b", ...interactive, redirectUris: ["https://b.example/cb"], subjectType: "pairwise" });
  await addClient(p.stores, {
    clientId: "b-shared",
    ...interactive,
    redirectUris: ["https://elsewhere.example/cb"],
    subjectType: "pairwise",
    sectorIdentifier: "b.example",
  });
  await addClient(p.stores, { clientId: "pub", ...interactive, redirectUris: ["https://pub.example/cb"] });
  for (const id of ["u1", "u2"]) addUser(p.stores, id, id, p.clock.now, { claims: { name: id.toUpperCase() } });
});

/** Signs `userId` in to `clientId` with openid-client: its tokens. */
async function signIn(clientId: string, userId = "u1", extra: Record<string, string> = {}) {
  const config = await discover(() => p, clientId);
  const redirect = p.stores.data.clients.get(clientId)!.redirectUris[0]!;
  const verifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirect,
    scope: "openid profile",
    state: "st",
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    ...extra,
  });
  const res = await visitSignedIn(p, url, userId);
  const back = new URL(res.headers.get("location")!);
  if (back.origin + back.pathname !== redirect || back.searchParams.has("error")) return { back };
  const tokens = await oidc.authorizationCodeGrant(config, back, { pkceCodeVerifier: verifier, expectedState: "st" });
  return { back, config, tokens, sub: tokens.claims()!.sub };
}

describe("pairwise subject identifiers", () => {
  it("are advertised", async () => {
    expect((await createMetadata(p.ctx)).subject_types_supported).toEqual(["public", "pairwise"]);
  });

  it("differ by sector, agree within one (and with a sector identifier), and are stable", async () => {
    const a = (await signIn("a")).sub;
    const a2 = (await signIn("a2")).sub;
    const b = (await signIn("b")).sub;
    const shared = (await signIn("b-shared")).sub;
    const pub = (await signIn("pub")).sub;
    expect(pub).toBe("u1");
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe("u1");
    expect(a2).toBe(a);
    expect(b).not.toBe(a);
    expect(shared).toBe(b);
    expect((await signIn("a")).sub).toBe(a);
    expect((await signIn("a", "u2")).sub).not.toBe(a);
  });

  it("are the sub of userinfo, introspection and the JWT access token, which hides the user's id", async () => {
    const { config, tokens, sub } = await signIn("a");
    const info = await oidc.fetchUserInfo(config!, tokens!.access_token, sub!);
    expect(info).toMatchObject({ sub, name: "U1" });
    const access = decodeJwt(tokens!.access_token);
    expect(access.sub).toBe(sub);
    expect(JSON.stringify(access)).not.toContain("u1");
    const res = await introspect(formRequest("/connect/introspect", { token: tokens!.access_token }, basic("a", SECRET)), p.ctx);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ active: true, sub, client_id: "a" });
    expect(body.portcullis_uid).toBeUndefined();
    const id = await jwtVerify(tokens!.id_token!, createLocalJWKSet(await p.ctx.keys.jwks()), { issuer: ISSUER, audience: "a" });
    expect(id.payload.sub).toBe(sub);
  });

  it("still let the server revoke the user's tokens, and an id_token_hint with the pairwise sub names the same user", async () => {
    const { tokens, config } = await signIn("a");
    const hint = await signIn("a", "u1", { id_token_hint: tokens!.id_token!, prompt: "none" });
    expect(hint.sub).toBe(tokens!.claims()!.sub);
    const other = await signIn("a", "u2", { id_token_hint: tokens!.id_token!, prompt: "none" });
    expect(other.back.searchParams.get("error")).toBe("login_required");
    await revokeUserTokens(p.ctx, "u1");
    const refused = await oidc.fetchUserInfo(config!, tokens!.access_token, oidc.skipSubjectCheck).catch((e: unknown) => e);
    expect((refused as { cause: oidc.WWWAuthenticateChallenge[] }).cause[0]!.parameters.error).toBe("invalid_token");
  });

  it("stay in their sector through token exchange: the public client is refused, the same sector keeps the sub", async () => {
    await addApi(p.stores, "https://orders.example", ["orders.read"]);
    const exchanger = { grantTypes: ["urn:ietf:params:oauth:grant-type:token-exchange"], allowedScopes: ["orders.read"] };
    const policy = { impersonation: true, delegation: false, audiences: [], subjectClients: [] };
    for (const c of ["a", "a2", "pub"]) {
      const client = p.stores.data.clients.get(c)!;
      client.grantTypes.push(...exchanger.grantTypes);
      client.allowedScopes.push("orders.read");
      client.tokenExchange = policy;
    }
    p.ctx.config.invalidate();
    const { tokens, sub } = await signIn("a", "u1", { scope: "openid orders.read" });
    const exchange = async (clientId: string) => {
      const res = await token(
        formRequest(
          "/connect/token",
          {
            grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
            subject_token: tokens!.access_token,
            subject_token_type: "urn:ietf:params:oauth:token-type:access_token",
            scope: "orders.read",
          },
          basic(clientId, SECRET),
        ),
        p.ctx,
      );
      return (await res.json()) as Record<string, string>;
    };
    expect(await exchange("pub")).toEqual({
      error: "invalid_request",
      error_description: "subject token of a pairwise client may only be exchanged by a pairwise client of its sector",
    });
    const same = await exchange("a2");
    expect(decodeJwt(same.access_token!).sub).toBe(sub);
    expect(JSON.stringify(decodeJwt(same.access_token!))).not.toContain("u1");
  });

  it("need one sector: redirect URIs on one host or a sector identifier", () => {
    const base = {
      client_id: "c",
      client_name: "C",
      grant_types: ["authorization_code"],
      subject_type: "pairwise",
      portcullis: { kind: "web" },
    };
    const two = { ...base, redirect_uris: ["https://one.example/cb", "https://two.example/cb"] };
    expect(clientInput.safeParse(two).error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["subject_type", "Pairwise identifiers need redirect URIs on one host, or a sector identifier (portcullis.sector_identifier)."],
    ]);
    expect(clientInput.safeParse({ ...two, portcullis: { kind: "web", sector_identifier: "example.com" } }).success).toBe(true);
    expect(
      clientInput.safeParse({ ...two, portcullis: { kind: "web", sector_identifier: "https://example.com/" } }).error?.issues[0]?.message,
    ).toBe("A sector identifier is a host name, such as example.com.");
  });
});
