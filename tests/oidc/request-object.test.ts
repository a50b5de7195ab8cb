/**
 * JWT-secured authorization requests (RFC 9101) with openid-client as the relying party
 * (buildAuthorizationUrlWithJAR), in process; negative cases signed with jose.
 */
import { beforeEach, describe, expect, it } from "vitest";
import * as oidc from "openid-client";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { routeProtocol } from "@/lib/oidc/routes";
import { addUser, addClient, basic, formRequest, ISSUER, SECRET, testProvider, type TestProvider } from "../helpers/provider";
import { discover, visitSignedIn } from "../helpers/in-process-rp";

const REDIRECT = "https://app.example/cb";
let p: TestProvider;
let key: CryptoKey;

beforeEach(async () => {
  p = await testProvider();
  p.clock.now = Date.now(); // openid-client signs with the real clock
  p.stores.data.identityResources.push({ name: "openid", enabled: true, claims: ["sub"], showInDiscovery: true });
  const pair = await generateKeyPair("ES256");
  key = pair.privateKey;
  const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), alg: "ES256" } as Record<string, unknown>] };
  const interactive = {
    grantTypes: ["authorization_code"],
    redirectUris: [REDIRECT],
    allowedScopes: ["openid"],
    requireConsent: false,
    jwks,
  };
  await addClient(p.stores, { clientId: "web", ...interactive });
  await addClient(p.stores, { clientId: "strict", ...interactive, requireSignedRequestObject: true, requestObjectSigningAlg: "ES256" });
  await addClient(p.stores, { clientId: "keyless", ...interactive, jwks: null });
  addUser(p.stores, "u1", "alice", p.clock.now);
});

const pkce = async () => {
  const verifier = oidc.randomPKCECodeVerifier();
  return { verifier, challenge: await oidc.calculatePKCECodeChallenge(verifier) };
};

/** A request object signed by `signer` with `claims` over the usual ones. */
async function requestObject(claims: Record<string, unknown>, header: Record<string, unknown> = {}, signer: CryptoKey = key) {
  const now = Math.floor(p.clock.now / 1000);
  return new SignJWT({
    iss: "web",
    aud: ISSUER,
    exp: now + 60,
    iat: now,
    client_id: "web",
    response_type: "code",
    redirect_uri: REDIRECT,
    scope: "openid",
    state: "st",
    code_challenge: (await pkce()).challenge,
    code_challenge_method: "S256",
    ...claims,
  })
    .setProtectedHeader({ alg: "ES256", typ: "oauth-authz-req+jwt", ...header })
    .sign(signer);
}

async function errorFor(clientId: string, request: string) {
  const url = new URL(`${ISSUER}/connect/authorize?${new URLSearchParams({ client_id: clientId, request })}`);
  const res = await visitSignedIn(p, url);
  return new URL(res.headers.get("location")!);
}

describe("signed request objects (RFC 9101)", () => {
  it("are advertised", async () => {
    const meta = (await discover(() => p, "web")).serverMetadata();
    expect(meta.request_parameter_supported).toBe(true);
    expect(meta.request_object_signing_alg_values_supported).toContain("ES256");
  });

  it("sign a user in through openid-client's JAR request; only the object's parameters count", async () => {
    const config = await discover(() => p, "strict");
    const { verifier, challenge } = await pkce();
    const url = await oidc.buildAuthorizationUrlWithJAR(
      config,
      { redirect_uri: REDIRECT, scope: "openid", state: "st", code_challenge: challenge, code_challenge_method: "S256" },
      key,
    );
    url.searchParams.set("state", "forged"); // outside the object: ignored
    const back = new URL((await visitSignedIn(p, url)).headers.get("location")!);
    expect(back.origin + back.pathname).toBe(REDIRECT);
    expect(back.searchParams.get("state")).toBe("st");
    const tokens = await oidc.authorizationCodeGrant(config, back, { pkceCodeVerifier: verifier, expectedState: "st" });
    expect(tokens.claims()?.sub).toBe("u1");
  });

  it("go through PAR too, verified when pushed", async () => {
    const res = await routeProtocol(
      formRequest("/connect/par", { client_id: "web", request: await requestObject({}) }, basic("web", SECRET)),
      p.ctx,
      "/connect/par",
    );
    expect(res!.status).toBe(201);
    const bad = await routeProtocol(
      formRequest(
        "/connect/par",
        { client_id: "web", request: await requestObject({ aud: "https://other.example" }) },
        basic("web", SECRET),
      ),
      p.ctx,
      "/connect/par",
    );
    expect(bad!.status).toBe(400);
    expect(await bad!.json()).toEqual({ error: "invalid_request_object", error_description: "request object aud is invalid" });
  });

  it("refuse unsigned, foreign, expired, misaddressed and nested objects on the error page, never redirecting", async () => {
    const other = (await generateKeyPair("ES256")).privateKey;
    const unsigned = `${Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url")}.${Buffer.from(JSON.stringify({ iss: "web", aud: ISSUER })).toString("base64url")}.`;
    const cases: [string, string, string][] = [
      ["web", unsigned, "request object must be signed with RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA"],
      ["web", await requestObject({}, {}, other), "request object signature is invalid"],
      ["web", await requestObject({ exp: Math.floor(p.clock.now / 1000) - 10 }), "request object is expired"],
      ["web", await requestObject({ exp: Math.floor(p.clock.now / 1000) + 7200 }), "request object exp is more than an hour away"],
      ["web", await requestObject({ exp: undefined }), "request object exp is invalid"],
      ["web", await requestObject({ iss: "someone" }), "request object iss is invalid"],
      ["web", await requestObject({ client_id: "keyless" }), "request object client_id does not match"],
      ["web", await requestObject({ request_uri: "urn:x" }), "request object must not contain request or request_uri"],
      ["web", await requestObject({}, { typ: "at+jwt" }), "request object typ must be oauth-authz-req+jwt"],
      ["web", "not-a-jwt", "request object is not a JWT"],
      [
        "keyless",
        await requestObject({ iss: "keyless", client_id: "keyless" }),
        "the client has no registered keys to verify request objects",
      ],
    ];
    for (const [clientId, request, description] of cases) {
      const url = await errorFor(clientId, request);
      expect(url.pathname, description).toBe("/interaction/error");
      expect(url.searchParams.get("error"), description).toBe("invalid_request_object");
      expect(url.searchParams.get("error_description")).toBe(description);
    }
    // A client that requires request objects: a plain request is refused.
    const strictPlain = await visitSignedIn(
      p,
      new URL(
        `${ISSUER}/connect/authorize?${new URLSearchParams({ client_id: "strict", response_type: "code", redirect_uri: REDIRECT, scope: "openid" })}`,
      ),
    );
    expect(new URL(strictPlain.headers.get("location")!).searchParams.get("error")).toBe("invalid_request_object");
  });
});
