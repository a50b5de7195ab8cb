/**
 * The FAPI 2.0 Security Profile as a client's profile (lib/oidc/profiles.ts): openid-client as a
 * FAPI 2.0 client end to end (PAR, private_key_jwt, PKCE S256, DPoP, iss in the response), in
 * process through its customFetch, and the refusals; the client schema's validation.
 */
import { beforeEach, describe, expect, it } from "vitest";
import * as oidc from "openid-client";
import { decodeJwt, exportJWK, generateKeyPair, type CryptoKey } from "jose";
import { routeProtocol } from "@/lib/oidc/routes";
import { startSession } from "@/lib/oidc/session";
import { Cookies } from "@/lib/oidc/constants";
import { clientInput } from "@/lib/schemas/client";
import { addClient, addUser, basic, formRequest, ISSUER, SECRET, testProvider, type TestProvider } from "../helpers/provider";

const REDIRECT = "https://bank.example/cb";
let p: TestProvider;
let es256: CryptoKeyPair;
let rs256: CryptoKeyPair;

const fetchHere: oidc.CustomFetch = async (url, options) => {
  const req = new Request(url, { method: options.method, headers: options.headers, body: options.body as BodyInit | undefined });
  return (await routeProtocol(req, p.ctx, new URL(url).pathname)) ?? new Response("not found", { status: 404 });
};
const send = async (req: Request) => (await routeProtocol(req, p.ctx, new URL(req.url).pathname))!;

beforeEach(async () => {
  p = await testProvider();
  p.clock.now = Date.now(); // openid-client checks token times against the real clock
  es256 = await generateKeyPair("ES256");
  rs256 = await generateKeyPair("RS256");
  p.stores.data.identityResources.push({ name: "openid", enabled: true, claims: ["sub"], showInDiscovery: true });
  const fapi = {
    grantTypes: ["authorization_code"],
    redirectUris: [REDIRECT],
    allowedScopes: ["openid"],
    requireConsent: false,
    profile: "fapi2" as const,
    tokenEndpointAuthMethod: "private_key_jwt" as const,
    secrets: [],
    // The profile switches these on at run time, whatever a record says.
    requirePkce: false,
    authorizationCodeLifetime: 300,
  };
  await addClient(p.stores, {
    clientId: "fapi",
    ...fapi,
    jwks: {
      keys: [
        { ...(await exportJWK(es256.publicKey)), kid: "es" },
        { ...(await exportJWK(rs256.publicKey)), kid: "rs" },
      ],
    },
  });
  await addClient(p.stores, { clientId: "fapi-secret", ...fapi, tokenEndpointAuthMethod: "client_secret_basic" });
  addUser(p.stores, "u1", "alice", p.clock.now);
});

const rp = (key: CryptoKey = es256.privateKey, clientId = "fapi") =>
  oidc.discovery(new URL(ISSUER), clientId, undefined, oidc.PrivateKeyJwt(key), { [oidc.customFetch]: fetchHere });

async function visit(url: URL): Promise<URL> {
  const { handle } = await startSession(p.ctx, { userId: "u1", amr: ["pwd"] });
  const res = await send(new Request(url, { headers: { cookie: `${Cookies.session}=${handle}` } }));
  expect(res.status).toBe(303);
  return new URL(res.headers.get("location")!);
}

async function pushed(config: oidc.Configuration) {
  const verifier = oidc.randomPKCECodeVerifier();
  const url = await oidc.buildAuthorizationUrlWithPAR(config, {
    redirect_uri: REDIRECT,
    scope: "openid",
    state: "st",
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
  });
  return { verifier, url };
}

describe("FAPI 2.0 Security Profile", () => {
  it("runs end to end with openid-client: PAR, private_key_jwt, PKCE S256, DPoP, iss in the response", async () => {
    const config = await rp();
    expect(config.serverMetadata().authorization_response_iss_parameter_supported).toBe(true);
    const DPoP = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair("ES256"));
    const { verifier, url } = await pushed(config);
    const back = await visit(url);
    expect(back.searchParams.get("iss")).toBe(ISSUER);
    const tokens = await oidc.authorizationCodeGrant(config, back, { pkceCodeVerifier: verifier, expectedState: "st" }, undefined, {
      DPoP,
    });
    expect(tokens.token_type).toBe("dpop");
    expect(decodeJwt(tokens.access_token).cnf).toEqual({ jkt: await DPoP.calculateThumbprint() });
    expect(await oidc.fetchUserInfo(config, tokens.access_token, "u1", { DPoP })).toMatchObject({ sub: "u1" });
  });

  it("refuses an authorization request that did not come through PAR", async () => {
    const config = await rp();
    const verifier = oidc.randomPKCECodeVerifier();
    const direct = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: "openid",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
    });
    const back = await visit(direct);
    expect(back.searchParams.get("error")).toBe("invalid_request");
    expect(back.searchParams.get("error_description")).toBe("pushed authorization request required");
  });

  it("refuses a pushed request without PKCE", async () => {
    const config = await rp();
    const err = await oidc.buildAuthorizationUrlWithPAR(config, { redirect_uri: REDIRECT, scope: "openid" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ error: "invalid_request", error_description: "PKCE code_challenge is required" });
  });

  it("refuses a token request without a DPoP proof, and a proof signed with RS256", async () => {
    const config = await rp();
    const { verifier, url } = await pushed(config);
    const back = await visit(url);
    const noProof = await oidc
      .authorizationCodeGrant(config, back, { pkceCodeVerifier: verifier, expectedState: "st" })
      .catch((e: unknown) => e);
    expect(noProof).toMatchObject({ error: "invalid_dpop_proof", error_description: "DPoP proof is required for this client" });

    const { verifier: v2, url: u2 } = await pushed(config);
    const rsProof = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair("RS256"));
    const refused = await oidc
      .authorizationCodeGrant(config, await visit(u2), { pkceCodeVerifier: v2, expectedState: "st" }, undefined, { DPoP: rsProof })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ error: "invalid_dpop_proof", error_description: "DPoP proof alg is not supported" });
  });

  it("refuses client assertions signed with RS256, and any authentication but private_key_jwt", async () => {
    const rsConfig = await rp(rs256.privateKey);
    const err = await oidc.buildAuthorizationUrlWithPAR(rsConfig, { redirect_uri: REDIRECT, scope: "openid" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 401 });
    expect(p.logs.at(-1)?.fields).toMatchObject({
      description: "invalid client_assertion",
      detail: expect.stringMatching(/"alg".*not allowed/),
    });
    const bySecret = await send(
      formRequest("/connect/par", { redirect_uri: REDIRECT, response_type: "code" }, basic("fapi-secret", SECRET)),
    );
    expect(bySecret.status).toBe(401);
    expect(await bySecret.json()).toEqual({ error: "invalid_client", error_description: "client authentication failed" });
  });

  it("lets an authorization code live at most 60 seconds", async () => {
    const config = await rp();
    const DPoP = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair("ES256"));
    const { verifier, url } = await pushed(config);
    const back = await visit(url);
    p.clock.advance(61);
    const late = await oidc
      .authorizationCodeGrant(config, back, { pkceCodeVerifier: verifier, expectedState: "st" }, undefined, { DPoP })
      .catch((e: unknown) => e);
    expect(late).toMatchObject({ error: "invalid_grant", error_description: "authorization code is expired" });
  });
});

describe("FAPI 2.0 client settings", () => {
  const jwks = {
    keys: [{ kty: "EC", crv: "P-256", x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0" }],
  };
  const base = {
    client_id: "bank",
    client_name: "Bank",
    token_endpoint_auth_method: "private_key_jwt",
    jwks,
    grant_types: ["authorization_code"],
    redirect_uris: [REDIRECT],
    scope: "openid",
    portcullis: { kind: "web", profile: "fapi2" },
  };
  const problems = (input: Record<string, unknown>) => {
    const r = clientInput.safeParse(input);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };

  it("switches on PAR and DPoP-bound tokens for a valid client", () => {
    const parsed = clientInput.parse(base);
    expect(parsed.require_pushed_authorization_requests).toBe(true);
    expect(parsed.dpop_bound_access_tokens).toBe(true);
    expect(parsed.portcullis.profile).toBe("fapi2");
  });

  it("refuses what the profile forbids, with clear messages", () => {
    expect(
      problems({ ...base, token_endpoint_auth_method: "client_secret_basic", jwks: undefined, client_secret: "x".repeat(32) }),
    ).toEqual(["token_endpoint_auth_method: FAPI 2.0 needs a confidential client authenticating with private_key_jwt."]);
    expect(problems({ ...base, token_endpoint_auth_signing_alg: "RS256" })).toEqual([
      "token_endpoint_auth_signing_alg: FAPI 2.0 allows only PS256, ES256, EdDSA.",
    ]);
    expect(problems({ ...base, portcullis: { ...base.portcullis, require_pkce: false } })).toEqual([
      "portcullis.require_pkce: FAPI 2.0 requires PKCE: keep Require PKCE on.",
    ]);
    expect(problems({ ...base, portcullis: { ...base.portcullis, authorization_code_lifetime: 120 } })).toEqual([
      "portcullis.authorization_code_lifetime: FAPI 2.0 allows authorization codes of at most 60 seconds.",
    ]);
    expect(problems({ ...base, portcullis: { ...base.portcullis, kind: "spa" } })).toEqual([
      "portcullis.kind: FAPI 2.0 serves confidential clients only: choose web or machine.",
    ]);
    expect(problems({ ...base, grant_types: ["authorization_code", "implicit"], response_types: ["code", "code id_token"] })).toEqual([
      "response_types: FAPI 2.0 allows only the response type code (no hybrid or implicit).",
    ]);
    expect(problems({ ...base, request_object_signing_alg: "RS256" })).toEqual([
      "request_object_signing_alg: FAPI 2.0 allows only PS256, ES256, EdDSA.",
    ]);
    expect(problems({ ...base, portcullis: { ...base.portcullis, profile: "fapi3" } })).toEqual([
      "portcullis.profile: must be default or fapi2",
    ]);
  });
});
