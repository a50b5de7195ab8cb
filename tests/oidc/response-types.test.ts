/**
 * Response types beyond code (OpenID Connect Core 3.2 and 3.3), opt-in per client, with
 * openid-client as the relying party: the hybrid flow (code id_token) and the ID token alone with
 * form_post (express-openid-connect's default). Never an access token in the front channel.
 */
import { beforeEach, describe, expect, it } from "vitest";
import * as oidc from "openid-client";
import { clientInput } from "@/lib/schemas/client";
import { createMetadata } from "@/lib/oidc/discovery";
import { addUser, addClient, ISSUER, testProvider, type TestProvider } from "../helpers/provider";
import { discover, visitSignedIn } from "../helpers/in-process-rp";

const REDIRECT = "https://app.example/cb";
let p: TestProvider;

beforeEach(async () => {
  p = await testProvider();
  p.clock.now = Date.now(); // openid-client checks token times against the real clock
  p.stores.data.identityResources.push(
    { name: "openid", enabled: true, claims: ["sub"], showInDiscovery: true },
    { name: "profile", enabled: true, claims: ["name"], showInDiscovery: true },
  );
  const interactive = { redirectUris: [REDIRECT], allowedScopes: ["openid", "profile"], requireConsent: false, idTokenUserClaims: false };
  await addClient(p.stores, { clientId: "web", grantTypes: ["authorization_code"], ...interactive });
  await addClient(p.stores, {
    clientId: "hybrid",
    grantTypes: ["authorization_code", "implicit"],
    responseTypes: ["code", "code id_token"],
    ...interactive,
  });
  await addClient(p.stores, { clientId: "form", grantTypes: ["implicit"], responseTypes: ["id_token"], ...interactive });
  addUser(p.stores, "u1", "alice", p.clock.now, { claims: { name: "Alice" } });
});

const location = (res: Response) => {
  expect(res.status).toBe(303);
  return new URL(res.headers.get("location")!);
};

describe("response types", () => {
  it("are advertised with the grant type implicit", async () => {
    const meta = await createMetadata(p.ctx);
    expect(meta.response_types_supported).toEqual(["code", "code id_token", "id_token"]);
    expect(meta.grant_types_supported).toContain("implicit");
  });

  it("code id_token: openid-client checks the front-channel ID token (c_hash, nonce) and redeems the code", async () => {
    const config = await discover(() => p, "hybrid", [oidc.useCodeIdTokenResponseType]);
    const nonce = oidc.randomNonce();
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: "openid profile",
      nonce,
      state: "st",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
    });
    expect(url.searchParams.get("response_type")).toBe("code id_token");
    const back = location(await visitSignedIn(p, url));
    // the fragment by default, with code, id_token, state and iss; no access token
    expect(back.search).toBe("");
    const fragment = new URLSearchParams(back.hash.slice(1));
    expect([...fragment.keys()].sort()).toEqual(["code", "id_token", "iss", "state"]);
    const tokens = await oidc.authorizationCodeGrant(config, back, {
      pkceCodeVerifier: verifier,
      expectedNonce: nonce,
      expectedState: "st",
    });
    expect(tokens.claims()).toMatchObject({ sub: "u1", nonce });
    const front = JSON.parse(Buffer.from(fragment.get("id_token")!.split(".")[1]!, "base64url").toString());
    expect(front.c_hash).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(front.at_hash).toBeUndefined();
    // beside a code, the front channel gets no profile claims (id_token_user_claims is off): the code gets them
    expect(front.name).toBeUndefined();
  });

  it("id_token with form_post: openid-client verifies the posted ID token, which carries the profile", async () => {
    const config = await discover(() => p, "form", [oidc.useIdTokenResponseType]);
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: "openid profile", nonce, response_mode: "form_post" });
    const res = await visitSignedIn(p, url);
    expect(res.status).toBe(200);
    const html = await res.text();
    const posted = Object.fromEntries([...html.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    expect(Object.keys(posted).sort()).toEqual(["id_token", "iss"]);
    const post = new Request(REDIRECT, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(posted),
    });
    const claims = await oidc.implicitAuthentication(config, post, nonce);
    // no access token, so the ID token holds what userinfo would release, whatever id_token_user_claims says
    expect(claims).toMatchObject({ sub: "u1", name: "Alice", nonce, iss: ISSUER });
    expect(claims.at_hash).toBeUndefined();
  });

  it("refuses what the client did not register, a missing nonce, query mode and access tokens in the front channel", async () => {
    const visit = async (clientId: string, params: Record<string, string>) =>
      location(
        await visitSignedIn(
          p,
          new URL(
            `${ISSUER}/connect/authorize?${new URLSearchParams({ client_id: clientId, redirect_uri: REDIRECT, scope: "openid", state: "st", ...params })}`,
          ),
        ),
      );
    const errorOf = (url: URL) => Object.fromEntries(new URLSearchParams(url.hash.slice(1) || url.search.slice(1)));
    expect(errorOf(await visit("web", { response_type: "id_token", nonce: "n" }))).toMatchObject({
      error: "unauthorized_client",
      error_description: "requested response_type is not allowed for this client",
    });
    // id_token travels in the fragment even for an error; the order of the words does not matter
    const noNonce = await visit("hybrid", {
      response_type: "id_token code",
      code_challenge: "c".repeat(43),
      code_challenge_method: "S256",
    });
    expect(noNonce.hash).toContain("error=invalid_request");
    expect(errorOf(noNonce).error_description).toBe("missing required parameter 'nonce' (response_type code id_token)");
    expect(errorOf(await visit("form", { response_type: "id_token", nonce: "n", response_mode: "query" }))).toMatchObject({
      error: "invalid_request",
      error_description: "response_mode query is not allowed with response_type id_token",
    });
    for (const type of ["token", "id_token token", "code token", "code id_token token"])
      expect(errorOf(await visit("hybrid", { response_type: type, nonce: "n" })).error, type).toBe("unsupported_response_type");
  });
});

describe("client metadata", () => {
  const base = { client_id: "c", client_name: "C", redirect_uris: [REDIRECT], portcullis: { kind: "web" } };

  it("adds the grant type implicit to a response type with id_token, and defaults to code", () => {
    expect(clientInput.parse({ ...base, grant_types: ["authorization_code"] })).toMatchObject({
      response_types: ["code"],
      grant_types: ["authorization_code"],
    });
    expect(clientInput.parse({ ...base, grant_types: ["authorization_code"], response_types: ["code", "code id_token"] })).toMatchObject({
      grant_types: ["authorization_code", "implicit"],
    });
  });

  it("refuses response types without their grant type and implicit without a response type that needs it", () => {
    const problems = (input: object) =>
      clientInput.safeParse({ ...base, ...input }).error?.issues.map((i) => [i.path.join("."), i.message]);
    expect(problems({ grant_types: ["client_credentials"], response_types: ["code id_token"] })).toEqual([
      ["response_types", "The response types code and code id_token need the grant type authorization_code."],
    ]);
    expect(problems({ grant_types: ["authorization_code", "implicit"], response_types: ["code"] })).toEqual([
      ["grant_types", "implicit is the grant type of the response types id_token and code id_token: choose one of them."],
    ]);
    expect(problems({ grant_types: ["implicit"], response_types: ["id_token token"] })?.[0]?.[0]).toBe("response_types.0");
  });
});
