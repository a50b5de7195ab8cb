/**
 * DPoP (RFC 9449) with openid-client and oauth4webapi as the clients, in process through their
 * customFetch: proofs at the token endpoint, bound tokens (JWT cnf.jkt, introspection), bound
 * refresh tokens of public clients, userinfo with the DPoP scheme, nonces, and the refusals of
 * RFC 9449 4.3 with proofs jose signs the way an attacker would.
 */
import { beforeEach, describe, expect, it } from "vitest";
import * as oidc from "openid-client";
import * as oauth from "oauth4webapi";
import { calculateJwkThumbprint, decodeJwt, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { routeProtocol } from "@/lib/oidc/routes";
import { startSession } from "@/lib/oidc/session";
import { Cookies } from "@/lib/oidc/constants";
import { sha256 } from "@/lib/oidc/crypto";
import { addApi, addClient, addUser, basic, formRequest, ISSUER, SECRET, testProvider, type TestProvider } from "../helpers/provider";

const REDIRECT = "https://app.example/cb";
const TOKEN = `${ISSUER}/connect/token`;
const USERINFO = `${ISSUER}/connect/userinfo`;
let p: TestProvider;
/** the requests the clients sent, newest last */
let sent: Request[];

const fetchHere: oidc.CustomFetch = async (url, options) => {
  const req = new Request(url, { method: options.method, headers: options.headers, body: options.body as BodyInit | undefined });
  sent.push(req.clone());
  return (await routeProtocol(req, p.ctx, new URL(url).pathname)) ?? new Response("not found", { status: 404 });
};
const send = async (req: Request) => (await routeProtocol(req, p.ctx, new URL(req.url).pathname))!;

async function setup(settings: Record<string, number | boolean> = {}) {
  p = await testProvider(settings);
  sent = [];
  p.clock.now = Date.now(); // the client libraries check token times against the real clock
  p.stores.data.identityResources.push({ name: "openid", enabled: true, claims: ["sub"], showInDiscovery: true });
  await addApi(p.stores, "https://orders.example", ["orders.read"], {}, "api-secret-api-secret-api-secret-01");
  await addClient(p.stores, { clientId: "m2m", allowedScopes: ["orders.read"] });
  await addClient(p.stores, { clientId: "m2m-ref", allowedScopes: ["orders.read"], accessTokenFormat: "reference" });
  await addClient(p.stores, { clientId: "bound", allowedScopes: ["orders.read"], dpopBoundAccessTokens: true });
  const interactive = {
    grantTypes: ["authorization_code", "refresh_token"],
    redirectUris: [REDIRECT],
    allowedScopes: ["openid", "offline_access"],
    allowOfflineAccess: true,
    requireConsent: false,
  };
  await addClient(p.stores, { clientId: "web", ...interactive });
  await addClient(p.stores, { clientId: "spa", ...interactive, tokenEndpointAuthMethod: "none", secrets: [] });
  addUser(p.stores, "u1", "alice", p.clock.now);
}

beforeEach(() => setup());

const rp = (clientId: string, auth: oidc.ClientAuth = oidc.ClientSecretBasic(SECRET)) =>
  oidc.discovery(new URL(ISSUER), clientId, undefined, auth, { [oidc.customFetch]: fetchHere });

/** Signs in through the authorization endpoint and returns the callback URL with the code. */
async function authorize(config: oidc.Configuration, verifier: string, extra: Record<string, string> = {}): Promise<URL> {
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT,
    scope: "openid offline_access",
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state: "st",
    ...extra,
  });
  const { handle } = await startSession(p.ctx, { userId: "u1", amr: ["pwd"] });
  const res = await send(new Request(url, { headers: { cookie: `${Cookies.session}=${handle}` } }));
  expect(res.status).toBe(303);
  return new URL(res.headers.get("location")!);
}

/** The code flow with a DPoP key: the key pair, its handle and the token response. */
async function codeFlow(clientId = "web", auth?: oidc.ClientAuth) {
  const config = await rp(clientId, auth);
  const keys = await oidc.randomDPoPKeyPair();
  const DPoP = oidc.getDPoPHandle(config, keys);
  const verifier = oidc.randomPKCECodeVerifier();
  const checks = { pkceCodeVerifier: verifier, expectedState: "st" };
  const tokens = await oidc.authorizationCodeGrant(config, await authorize(config, verifier), checks, undefined, { DPoP });
  return { config, keys, DPoP, tokens };
}

/** A proof jose signs by hand, for what no client library would send. */
async function proof(
  key: { privateKey: CryptoKey; publicKey: CryptoKey },
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
): Promise<string> {
  const jwk = await exportJWK(key.publicKey);
  return new SignJWT({ jti: crypto.randomUUID(), htm: "POST", htu: TOKEN, iat: Math.floor(p.clock.now / 1000), ...claims })
    .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk, ...header })
    .sign(key.privateKey);
}

const ccRequest = (dpop?: string | string[], client = "m2m") => {
  const headers = new Headers(basic(client, SECRET));
  for (const v of dpop === undefined ? [] : ([] as string[]).concat(dpop)) headers.append("dpop", v);
  return formRequest("/connect/token", { grant_type: "client_credentials", scope: "orders.read" }, Object.fromEntries(headers));
};

async function expectDpopError(res: Response, description: string, status = 400, error = "invalid_dpop_proof") {
  expect(await res.json()).toEqual({ error, error_description: description });
  expect(res.status).toBe(status);
}

describe("DPoP at the token endpoint", () => {
  it("advertises dpop_signing_alg_values_supported", async () => {
    const config = await rp("m2m");
    expect(config.serverMetadata().dpop_signing_alg_values_supported).toEqual(["ES256", "PS256", "RS256", "EdDSA"]);
  });

  it("binds a client credentials token to the proof's key: token_type DPoP, cnf.jkt (oauth4webapi)", async () => {
    const as = await oauth.processDiscoveryResponse(new URL(ISSUER), await send(new Request(`${ISSUER}/.well-known/openid-configuration`)));
    const client: oauth.Client = { client_id: "m2m" };
    const keys = await oauth.generateKeyPair("ES256");
    const DPoP = oauth.DPoP(client, keys);
    const res = await oauth.clientCredentialsGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic(SECRET),
      { scope: "orders.read" },
      {
        DPoP,
        [oauth.customFetch]: fetchHere,
      },
    );
    const body = await oauth.processClientCredentialsResponse(as, client, res);
    expect(body.token_type).toBe("dpop");
    const jkt = await DPoP.calculateThumbprint();
    expect(decodeJwt(body.access_token).cnf).toEqual({ jkt });
  });

  it("keeps Bearer tokens unchanged without a proof", async () => {
    const tokens = await oidc.clientCredentialsGrant(await rp("m2m"), { scope: "orders.read" });
    expect(tokens.token_type).toBe("bearer");
    expect(decodeJwt(tokens.access_token).cnf).toBeUndefined();
  });

  it("answers introspection of a bound reference token with token_type DPoP and cnf.jkt", async () => {
    const keys = await oidc.randomDPoPKeyPair("ES256");
    const config = await rp("m2m-ref");
    const DPoP = oidc.getDPoPHandle(config, keys);
    const tokens = await oidc.clientCredentialsGrant(config, { scope: "orders.read" }, { DPoP });
    const res = await send(
      formRequest(
        "/connect/introspect",
        { token: tokens.access_token },
        basic("https://orders.example", "api-secret-api-secret-api-secret-01"),
      ),
    );
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ active: true, token_type: "DPoP", cnf: { jkt: await DPoP.calculateThumbprint() } });
  });

  it("refuses a replayed proof (same jti)", async () => {
    const config = await rp("m2m");
    await oidc.clientCredentialsGrant(
      config,
      { scope: "orders.read" },
      { DPoP: oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair()) },
    );
    const used = sent.at(-1)!.headers.get("dpop")!;
    await expectDpopError(await send(ccRequest(used)), "DPoP proof has already been used");
  });

  it("refuses a wrong htm, a wrong htu and one built from another host; accepts htu with a query", async () => {
    const key = await generateKeyPair("ES256");
    await expectDpopError(await send(ccRequest(await proof(key, { htm: "GET" }))), "DPoP proof htm mismatch");
    await expectDpopError(await send(ccRequest(await proof(key, { htu: `${ISSUER}/connect/par` }))), "DPoP proof htu mismatch");
    await expectDpopError(
      await send(ccRequest(await proof(key, { htu: "https://evil.example/connect/token" }))),
      "DPoP proof htu mismatch",
    );
    // The Host a request names is not ours to trust: htu is compared with the issuer's URL.
    const viaOtherHost = new Request(
      "https://evil.example/connect/token",
      ccRequest(await proof(key, { htu: "https://evil.example/connect/token" })),
    );
    await expectDpopError(await send(viaOtherHost), "DPoP proof htu mismatch");
    expect((await send(ccRequest(await proof(key, { htu: `${TOKEN}?x=1#f` })))).status).toBe(200);
  });

  it("refuses an old iat and one too far ahead (the injected clock)", async () => {
    const key = await generateKeyPair("ES256");
    const early = await proof(key);
    p.clock.advance(301);
    await expectDpopError(await send(ccRequest(early)), "DPoP proof iat is too old");
    await expectDpopError(
      await send(ccRequest(await proof(key, { iat: Math.floor(p.clock.now / 1000) + 120 }))),
      "DPoP proof iat is in the future",
    );
    expect((await send(ccRequest(await proof(key, { iat: Math.floor(p.clock.now / 1000) - 290 })))).status).toBe(200);
  });

  it("refuses malformed proofs: typ, alg, private or missing jwk, two headers, claims missing", async () => {
    const key = await generateKeyPair("ES256");
    await expectDpopError(await send(ccRequest(await proof(key, {}, { typ: "JWT" }))), "DPoP proof typ must be dpop+jwt");
    const hmac = await new SignJWT({ jti: "x", htm: "POST", htu: TOKEN, iat: Math.floor(p.clock.now / 1000) })
      .setProtectedHeader({ alg: "HS256", typ: "dpop+jwt", jwk: { kty: "oct", k: "AAAA" } as never })
      .sign(new Uint8Array(32));
    await expectDpopError(await send(ccRequest(hmac)), "DPoP proof alg is not supported");
    const exported: JWK = await exportJWK((await generateKeyPair("ES256", { extractable: true })).privateKey);
    await expectDpopError(await send(ccRequest(await proof(key, {}, { jwk: exported }))), "DPoP proof jwk must be a public key");
    await expectDpopError(await send(ccRequest(await proof(key, {}, { jwk: undefined }))), "DPoP proof must carry its public key in jwk");
    const other = await generateKeyPair("ES256");
    await expectDpopError(await send(ccRequest(await proof(key, {}, { jwk: await exportJWK(other.publicKey) }))), "invalid DPoP proof");
    await expectDpopError(await send(ccRequest(await proof(key, { jti: undefined }))), "invalid DPoP proof");
    await expectDpopError(await send(ccRequest([await proof(key), await proof(key)])), "DPoP header must only be provided once");
    await expectDpopError(await send(ccRequest("not-a-jwt")), "invalid DPoP proof");
  });

  it("requires a proof from a client registered with dpop_bound_access_tokens", async () => {
    await expectDpopError(await send(ccRequest(undefined, "bound")), "DPoP proof is required for this client");
    const key = await generateKeyPair("ES256");
    const res = await send(ccRequest(await proof(key), "bound"));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { token_type: string }).token_type).toBe("DPoP");
  });
});

describe("DPoP with the code flow, refresh tokens and userinfo", () => {
  it("binds the code's tokens, serves userinfo to the DPoP scheme and refuses the token as Bearer", async () => {
    const { config, DPoP, tokens } = await codeFlow("web");
    expect(tokens.token_type).toBe("dpop");
    expect(decodeJwt(tokens.access_token).cnf).toEqual({ jkt: await DPoP.calculateThumbprint() });
    expect(await oidc.fetchUserInfo(config, tokens.access_token, "u1", { DPoP })).toMatchObject({ sub: "u1" });
    expect(sent.at(-1)!.headers.get("authorization")).toBe(`DPoP ${tokens.access_token}`);

    const asBearer = await send(new Request(USERINFO, { headers: { authorization: `Bearer ${tokens.access_token}` } }));
    expect(asBearer.status).toBe(401);
    expect(asBearer.headers.get("www-authenticate")).toBe(
      'Bearer realm="portcullis", error="invalid_token", error_description="DPoP-bound access token must be presented with a DPoP proof"',
    );
    // A confidential client's refresh token is not bound: its authentication binds it already.
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.token_type).toBe("bearer");
  });

  it("refuses at userinfo a proof without the right ath, of another key, replayed, or missing (401, DPoP challenge)", async () => {
    const {
      keys,
      tokens: { access_token },
    } = await codeFlow("web");
    const challenge = (error: string, description: string) =>
      `DPoP algs="ES256 PS256 RS256 EdDSA", error="${error}", error_description="${description}"`;
    const at = (dpop?: string) =>
      send(new Request(USERINFO, { headers: { authorization: `DPoP ${access_token}`, ...(dpop ? { dpop } : {}) } }));
    const claims = { htm: "GET", htu: USERINFO, ath: await sha256(access_token) };

    const missing = await at();
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe(challenge("invalid_dpop_proof", "DPoP proof is required"));
    const noAth = await at(await proof(keys, { ...claims, ath: undefined }));
    expect(noAth.headers.get("www-authenticate")).toBe(challenge("invalid_dpop_proof", "DPoP proof ath is missing"));
    const wrongAth = await at(await proof(keys, { ...claims, ath: await sha256("other") }));
    expect(wrongAth.headers.get("www-authenticate")).toBe(challenge("invalid_dpop_proof", "DPoP proof ath mismatch"));
    const otherKey = await at(await proof(await generateKeyPair("ES256"), claims));
    expect(otherKey.status).toBe(401);
    expect(otherKey.headers.get("www-authenticate")).toBe(challenge("invalid_token", "access token is not bound to the DPoP proof key"));
    const good = await proof(keys, claims);
    expect((await at(good)).status).toBe(200);
    const replayed = await at(good);
    expect(replayed.headers.get("www-authenticate")).toBe(challenge("invalid_dpop_proof", "DPoP proof has already been used"));
    const wrongMethod = await at(await proof(keys, { ...claims, htm: "POST" }));
    expect(wrongMethod.headers.get("www-authenticate")).toBe(challenge("invalid_dpop_proof", "DPoP proof htm mismatch"));
  });

  it("binds a public client's refresh token to its key: another key or none is invalid_grant", async () => {
    const { config, DPoP, tokens } = await codeFlow("spa", oidc.None());
    const refresh = (dpop?: string) =>
      send(
        formRequest(
          "/connect/token",
          { grant_type: "refresh_token", refresh_token: tokens.refresh_token!, client_id: "spa" },
          dpop ? { dpop } : {},
        ),
      );
    const none = await refresh();
    expect(none.status).toBe(400);
    expect(await none.json()).toEqual({ error: "invalid_grant", error_description: "refresh token is bound to another DPoP key" });
    const other = await refresh(await proof(await generateKeyPair("ES256")));
    expect(await other.json()).toEqual({ error: "invalid_grant", error_description: "refresh token is bound to another DPoP key" });

    const next = await oidc.refreshTokenGrant(config, tokens.refresh_token!, undefined, { DPoP });
    expect(next.token_type).toBe("dpop");
    expect(decodeJwt(next.access_token).cnf).toEqual({ jkt: await DPoP.calculateThumbprint() });
    // The successor stays bound to the same key.
    const again = await send(
      formRequest(
        "/connect/token",
        { grant_type: "refresh_token", refresh_token: next.refresh_token!, client_id: "spa" },
        {
          dpop: await proof(await generateKeyPair("ES256")),
        },
      ),
    );
    expect(((await again.json()) as { error: string }).error).toBe("invalid_grant");
    expect(await oidc.refreshTokenGrant(config, next.refresh_token!, undefined, { DPoP })).toMatchObject({ token_type: "dpop" });
  });
});

describe("DPoP authorization code binding (RFC 9449 10)", () => {
  it("binds the code to dpop_jkt: a proof of another key is invalid_grant, the right one succeeds", async () => {
    const config = await rp("web");
    const DPoP = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair());
    const verifier = oidc.randomPKCECodeVerifier();
    const back = await authorize(config, verifier, { dpop_jkt: await DPoP.calculateThumbprint() });
    const checks = { pkceCodeVerifier: verifier, expectedState: "st" };
    const other = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair());
    const wrong = await oidc.authorizationCodeGrant(config, back, checks, undefined, { DPoP: other }).catch((e: unknown) => e);
    expect(wrong).toMatchObject({ error: "invalid_grant", error_description: "authorization code is bound to another DPoP key" });
    const none = await oidc.authorizationCodeGrant(config, back, checks).catch((e: unknown) => e);
    expect(none).toMatchObject({ error: "invalid_grant", error_description: "authorization code is bound to another DPoP key" });
    expect(await oidc.authorizationCodeGrant(config, back, checks, undefined, { DPoP })).toMatchObject({ token_type: "dpop" });
  });

  it("binds the code to the key of a proof sent with the pushed request; a different dpop_jkt is refused", async () => {
    const config = await rp("web");
    const DPoP = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair());
    const verifier = oidc.randomPKCECodeVerifier();
    const ps = {
      redirect_uri: REDIRECT,
      scope: "openid",
      state: "st",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
    };
    const url = await oidc.buildAuthorizationUrlWithPAR(config, ps, { DPoP });
    expect(decodeJwt(sent.at(-1)!.headers.get("dpop")!).htu).toBe(`${ISSUER}/connect/par`);
    const { handle } = await startSession(p.ctx, { userId: "u1", amr: ["pwd"] });
    const back = new URL((await send(new Request(url, { headers: { cookie: `${Cookies.session}=${handle}` } }))).headers.get("location")!);
    const checks = { pkceCodeVerifier: verifier, expectedState: "st" };
    const none = await oidc.authorizationCodeGrant(config, back, checks).catch((e: unknown) => e);
    expect(none).toMatchObject({ error: "invalid_grant", error_description: "authorization code is bound to another DPoP key" });
    expect(await oidc.authorizationCodeGrant(config, back, checks, undefined, { DPoP })).toMatchObject({ token_type: "dpop" });

    const mismatch = await oidc
      .buildAuthorizationUrlWithPAR(
        config,
        { ...ps, dpop_jkt: await oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair()).calculateThumbprint() },
        { DPoP },
      )
      .catch((e: unknown) => e);
    expect(mismatch).toMatchObject({ error: "invalid_dpop_proof", error_description: "dpop_jkt does not match the DPoP proof key" });
    const malformed = await authorize(config, verifier, { dpop_jkt: "short" });
    expect(malformed.searchParams.get("error_description")).toBe("dpop_jkt must be a base64url SHA-256 JWK thumbprint");
  });
});

describe("DPoP server nonces", () => {
  beforeEach(() => setup({ dpopRequireNonce: true }));

  it("answers use_dpop_nonce with a DPoP-Nonce header; openid-client retries with it and succeeds", async () => {
    // openid-client first: its proofs use the real clock, which the steps below move past.
    const config = await rp("m2m");
    const DPoP = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair());
    const tokens = await oidc.clientCredentialsGrant(config, { scope: "orders.read" }, { DPoP });
    expect(tokens.token_type).toBe("dpop");
    const tokenCalls = sent.filter((r) => r.url === TOKEN);
    expect(tokenCalls).toHaveLength(2);
    expect(decodeJwt(tokenCalls[1]!.headers.get("dpop")!).nonce).toBeTruthy();
    const key = await generateKeyPair("ES256");
    const first = await send(ccRequest(await proof(key)));
    const nonce = first.headers.get("dpop-nonce");
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expectDpopError(first, "nonce is required in the DPoP proof", 400, "use_dpop_nonce");
    await expectDpopError(
      await send(ccRequest(await proof(key, { nonce: "forged" }))),
      "DPoP proof nonce is invalid",
      400,
      "use_dpop_nonce",
    );
    expect((await send(ccRequest(await proof(key, { nonce })))).status).toBe(200);
    // Stateless: valid in its window and the next, then refused.
    p.clock.advance(300);
    expect((await send(ccRequest(await proof(key, { nonce })))).status).toBe(200);
    p.clock.advance(300);
    expect((await send(ccRequest(await proof(key, { nonce })))).headers.get("dpop-nonce")).not.toBe(nonce);
  });

  it("answers a resource request without the nonce with 401 and a DPoP challenge", async () => {
    const {
      config,
      keys,
      DPoP,
      tokens: { access_token },
    } = await codeFlow("web");
    const res = await send(
      new Request(USERINFO, {
        headers: {
          authorization: `DPoP ${access_token}`,
          dpop: await proof(keys, { htm: "GET", htu: USERINFO, ath: await sha256(access_token) }),
        },
      }),
    );
    expect(res.status).toBe(401);
    expect(res.headers.get("dpop-nonce")).toBeTruthy();
    expect(res.headers.get("www-authenticate")).toBe(
      'DPoP algs="ES256 PS256 RS256 EdDSA", error="use_dpop_nonce", error_description="nonce is required in the DPoP proof"',
    );
    expect(await oidc.fetchUserInfo(config, access_token, "u1", { DPoP })).toMatchObject({ sub: "u1" });
  });
});

it.each(["ES256", "PS256", "RS256", "EdDSA"])("takes %s proofs, with the thumbprint jose computes (RFC 7638)", async (alg) => {
  const key = await generateKeyPair(alg);
  for (let i = 0; i < 2; i++) {
    // The second proof of the same key is verified with the key imported for the first.
    const res = await send(ccRequest(await proof(key, {}, { alg })));
    const { access_token } = (await res.json()) as { access_token: string };
    expect(decodeJwt(access_token).cnf).toEqual({ jkt: await calculateJwkThumbprint(await exportJWK(key.publicKey)) });
  }
});

it("refuses a jwk of an unknown key type", async () => {
  const key = await generateKeyPair("ES256");
  await expectDpopError(
    await send(ccRequest(await proof(key, {}, { jwk: { kty: "XYZ", x: "a" } }))),
    "DPoP proof jwk is not a supported public key",
  );
});
