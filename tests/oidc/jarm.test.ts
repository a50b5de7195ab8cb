/**
 * JWT Secured Authorization Response Mode (JARM) with openid-client as the relying party
 * (useJwtResponseMode): the code and the errors come back as one signed JWT.
 */
import { beforeEach, describe, expect, it } from "vitest";
import * as oidc from "openid-client";
import { createLocalJWKSet, jwtVerify } from "jose";
import { addUser, addClient, ISSUER, testProvider, type TestProvider } from "../helpers/provider";
import { discover, visitSignedIn } from "../helpers/in-process-rp";

const REDIRECT = "https://app.example/cb";
let p: TestProvider;

beforeEach(async () => {
  p = await testProvider();
  p.clock.now = Date.now(); // openid-client checks exp against the real clock
  p.stores.data.identityResources.push({ name: "openid", enabled: true, claims: ["sub"], showInDiscovery: true });
  const interactive = { redirectUris: [REDIRECT], allowedScopes: ["openid"], requireConsent: false };
  await addClient(p.stores, { clientId: "web", grantTypes: ["authorization_code"], ...interactive });
  await addClient(p.stores, { clientId: "form", grantTypes: ["implicit"], responseTypes: ["id_token"], ...interactive });
  addUser(p.stores, "u1", "alice", p.clock.now);
});

const authorizeUrl = (params: Record<string, string>) => new URL(`${ISSUER}/connect/authorize?${new URLSearchParams(params)}`);

describe("JARM", () => {
  it("is advertised", async () => {
    const meta = (await discover(() => p, "web")).serverMetadata();
    expect(meta.response_modes_supported).toEqual(["query", "fragment", "form_post", "jwt", "query.jwt", "fragment.jwt", "form_post.jwt"]);
    expect(meta.authorization_signing_alg_values_supported).toEqual(["RS256"]);
  });

  it("signs the code response for openid-client's jwt mode, which verifies and redeems it", async () => {
    const config = await discover(() => p, "web", [oidc.useJwtResponseMode]);
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: "openid",
      state: "st",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
    });
    expect(url.searchParams.get("response_mode")).toBe("jwt");
    const back = new URL((await visitSignedIn(p, url)).headers.get("location")!);
    expect([...back.searchParams.keys()]).toEqual(["response"]);
    const { payload } = await jwtVerify(back.searchParams.get("response")!, createLocalJWKSet(await p.ctx.keys.jwks()), {
      issuer: ISSUER,
      audience: "web",
    });
    expect(payload.exp! - payload.iat!).toBe(300);
    expect(payload).toMatchObject({ state: "st", code: expect.any(String) });
    const tokens = await oidc.authorizationCodeGrant(config, back, { pkceCodeVerifier: verifier, expectedState: "st" });
    expect(tokens.claims()?.sub).toBe("u1");
  });

  it("signs errors too, and puts an ID token's response in the fragment or a form, never the query", async () => {
    const denied = new URL(
      (
        await visitSignedIn(
          p,
          authorizeUrl({
            client_id: "web",
            redirect_uri: REDIRECT,
            response_type: "code",
            scope: "openid nope",
            state: "st",
            response_mode: "query.jwt",
          }),
        )
      ).headers.get("location")!,
    );
    const { payload } = await jwtVerify(denied.searchParams.get("response")!, createLocalJWKSet(await p.ctx.keys.jwks()), {
      issuer: ISSUER,
      audience: "web",
    });
    expect(payload).toMatchObject({ error: "invalid_scope", error_description: "requested scope is not allowed: nope", state: "st" });

    const query = new URL(
      (
        await visitSignedIn(
          p,
          authorizeUrl({
            client_id: "form",
            redirect_uri: REDIRECT,
            response_type: "id_token",
            scope: "openid",
            nonce: "n",
            response_mode: "query.jwt",
          }),
        )
      ).headers.get("location")!,
    );
    expect(query.search).toBe("");
    const refused = await jwtVerify(new URLSearchParams(query.hash.slice(1)).get("response")!, createLocalJWKSet(await p.ctx.keys.jwks()));
    expect(refused.payload).toMatchObject({
      error: "invalid_request",
      error_description: "response_mode query.jwt is not allowed with response_type id_token",
    });

    const posted = await visitSignedIn(
      p,
      authorizeUrl({
        client_id: "form",
        redirect_uri: REDIRECT,
        response_type: "id_token",
        scope: "openid",
        nonce: "n",
        response_mode: "form_post.jwt",
      }),
    );
    expect(posted.status).toBe(200);
    const html = await posted.text();
    expect(html).toMatch(/<input type="hidden" name="response" value="[A-Za-z0-9_.-]+">/);
    expect(html).not.toContain('name="id_token"');
  });
});
