/**
 * The built server with openid-client as the relying party and jose as the API: discovery,
 * client credentials with each authentication method, JWT and reference tokens, introspection,
 * revocation, key rotation and the error cases, on each database and on both serving paths.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as oidc from "openid-client";
import { createRemoteJWKSet, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey } from "jose";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../helpers/databases";
import { eventually, runCli, serverModes, startServer, type RunningServer } from "../helpers/server";

const SECRET = "m2m-secret-m2m-secret-m2m-secret-m2m";
const API_SECRET = "orders-api-secret-orders-api-secret-1";
const ORDERS = "https://orders.example";

function config(jwk: Record<string, unknown>) {
  return {
    api_resources: [
      { name: ORDERS, secrets: [{ value: API_SECRET }], scopes: [{ name: "orders.read" }, { name: "orders.write" }] },
      { name: "https://ledger.example", signing_alg: "ES256", scopes: [{ name: "ledger.read" }] },
      { name: "https://edge.example", signing_alg: "EdDSA", scopes: [{ name: "edge.read" }] },
    ],
    clients: [
      { client_id: "m2m-basic", client_name: "Basic", client_secret: SECRET, scope: "orders.read orders.write ledger.read edge.read" },
      {
        client_id: "m2m-post",
        client_name: "Post",
        client_secret: SECRET,
        token_endpoint_auth_method: "client_secret_post",
        scope: "orders.read",
      },
      {
        client_id: "m2m-jwt",
        client_name: "Key",
        token_endpoint_auth_method: "private_key_jwt",
        jwks: { keys: [jwk] },
        scope: "orders.read",
      },
      {
        client_id: "m2m-reference",
        client_name: "Reference",
        client_secret: SECRET,
        scope: "orders.read",
        portcullis: { access_token_format: "reference" },
      },
      {
        client_id: "m2m-dpop",
        client_name: "DPoP",
        client_secret: SECRET,
        scope: "orders.read",
        dpop_bound_access_tokens: true,
        portcullis: { access_token_format: "reference" },
      },
      {
        client_id: "web-par",
        client_name: "Pushed",
        client_secret: SECRET,
        grant_types: ["authorization_code"],
        redirect_uris: ["https://app.example/cb"],
        scope: "openid",
        require_pushed_authorization_requests: true,
      },
      {
        client_id: "tv",
        client_name: "Device",
        token_endpoint_auth_method: "none",
        grant_types: ["urn:ietf:params:oauth:grant-type:device_code"],
        scope: "openid",
        portcullis: { kind: "native" },
      },
    ],
  };
}

const insecure = { execute: [oidc.allowInsecureRequests] };

for (const kind of databaseKinds) {
  for (const mode of serverModes) {
    describe(`machine to machine on ${kind}, ${mode} server`, () => {
      let database: TestDatabase;
      let server: RunningServer;
      let issuer: URL;
      let clientKey: CryptoKey;

      const connect = (clientId: string, auth: oidc.ClientAuth) => oidc.discovery(issuer, clientId, undefined, auth, insecure);
      const asApi = () => connect(ORDERS, oidc.ClientSecretBasic(API_SECRET));

      beforeAll(async () => {
        const pair = await generateKeyPair("ES256");
        clientKey = pair.privateKey;
        database = await createTestDatabase(kind);
        server = await startServer({
          mode,
          databaseUrl: database.url,
          config: config({ ...(await exportJWK(pair.publicKey)), kid: "c1" }),
          env: { PORTCULLIS_KEY_ACTIVATION_DELAY: "3600" },
        });
        issuer = new URL(server.issuer);
      });
      afterAll(async () => {
        await server?.stop();
        await database?.drop();
      });

      it("takes a pushed authorization request (RFC 9126) once, stored in the database", async () => {
        const web = await connect("web-par", oidc.ClientSecretBasic(SECRET));
        const url = await oidc.buildAuthorizationUrlWithPAR(web, {
          redirect_uri: "https://app.example/cb",
          scope: "openid",
          code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
          code_challenge_method: "S256",
        });
        const first = await fetch(url, { redirect: "manual" });
        expect(first.status).toBe(303);
        expect(new URL(first.headers.get("location")!).pathname).toBe("/interaction/login");
        const again = await fetch(url, { redirect: "manual" });
        expect(new URL(again.headers.get("location")!).searchParams.get("error")).toBe("invalid_request_uri");
      });

      it("starts a device authorization (RFC 8628) and answers its poll with authorization_pending, stored in the database", async () => {
        const tv = await connect("tv", oidc.None());
        const started = await oidc.initiateDeviceAuthorization(tv, { scope: "openid" });
        expect(started).toMatchObject({ verification_uri: `${server.issuer}/device`, expires_in: 600, interval: 5 });
        const res = await fetch(`${server.issuer}/connect/token`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({
            grant_type: "urn:ietf:params:oauth:grant-type:device_code",
            client_id: "tv",
            device_code: started.device_code,
          }),
        });
        expect(res.status).toBe(400);
        expect(await res.json()).toEqual({
          error: "authorization_pending",
          error_description: "the user has not yet approved the request",
        });
      });

      it("binds tokens to a DPoP key (RFC 9449); a proof is used once, decided by the database", async () => {
        const c = await connect("m2m-dpop", oidc.ClientSecretBasic(SECRET));
        const DPoP = oidc.getDPoPHandle(c, await oidc.randomDPoPKeyPair("ES256"));
        const { access_token, token_type } = await oidc.clientCredentialsGrant(c, { scope: "orders.read" }, { DPoP });
        expect(token_type).toBe("dpop");
        const seen = await oidc.tokenIntrospection(await asApi(), access_token);
        expect(seen).toMatchObject({ active: true, token_type: "DPoP", cnf: { jkt: await DPoP.calculateThumbprint() } });

        const noProof = await oidc.clientCredentialsGrant(c, { scope: "orders.read" }).catch((e: unknown) => e);
        expect(noProof).toMatchObject({ error: "invalid_dpop_proof", error_description: "DPoP proof is required for this client" });

        // One proof sent three times at once: exactly one is accepted, on any instance.
        const key = await generateKeyPair("ES256");
        const jwk = await exportJWK(key.publicKey);
        const dpop = await new SignJWT({
          jti: crypto.randomUUID(),
          htm: "POST",
          htu: `${server.issuer}/connect/token`,
          iat: Math.floor(Date.now() / 1000),
        })
          .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk })
          .sign(key.privateKey);
        const auth = "Basic " + Buffer.from(`m2m-dpop:${SECRET}`).toString("base64");
        const results = await Promise.all(
          [1, 2, 3].map(() =>
            fetch(`${server.issuer}/connect/token`, {
              method: "POST",
              headers: { "content-type": "application/x-www-form-urlencoded", authorization: auth, dpop },
              body: "grant_type=client_credentials&scope=orders.read",
            }),
          ),
        );
        expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400]);
        const refused = await Promise.all(results.filter((r) => r.status === 400).map((r) => r.json()));
        expect(refused).toEqual([
          { error: "invalid_dpop_proof", error_description: "DPoP proof has already been used" },
          { error: "invalid_dpop_proof", error_description: "DPoP proof has already been used" },
        ]);
      });

      it("serves discovery at both well-known paths, advertising what is implemented", async () => {
        const c = await connect("m2m-basic", oidc.ClientSecretBasic(SECRET));
        const meta = c.serverMetadata();
        expect(meta.issuer).toBe(server.issuer);
        expect(meta.token_endpoint).toBe(`${server.issuer}/connect/token`);
        expect(meta.grant_types_supported).toEqual([
          "authorization_code",
          "client_credentials",
          "refresh_token",
          "urn:ietf:params:oauth:grant-type:device_code",
          "urn:ietf:params:oauth:grant-type:token-exchange",
          "implicit",
        ]);
        expect(meta.device_authorization_endpoint).toBe(`${server.issuer}/connect/deviceauth`);
        expect(meta.token_endpoint_auth_methods_supported).toEqual([
          "client_secret_basic",
          "client_secret_post",
          "private_key_jwt",
          "none",
        ]);
        expect(meta.code_challenge_methods_supported).toEqual(["S256"]);
        expect(meta.authorization_response_iss_parameter_supported).toBe(true);
        expect(meta.scopes_supported).toEqual(expect.arrayContaining(["orders.read", "ledger.read"]));
        const rfc8414 = await (await fetch(`${server.issuer}/.well-known/oauth-authorization-server`)).json();
        expect(rfc8414).toEqual(JSON.parse(JSON.stringify(meta)));
        const jwks = await fetch(meta.jwks_uri!);
        expect(jwks.headers.get("content-type")).toContain("application/jwk-set+json");
        expect(((await jwks.json()) as { keys: { d?: string }[] }).keys.every((k) => k.d === undefined)).toBe(true);
      });

      it("issues a JWT access token that jose verifies against the JWKS with the API's audience", async () => {
        const c = await connect("m2m-basic", oidc.ClientSecretBasic(SECRET));
        const tokens = await oidc.clientCredentialsGrant(c, { scope: "orders.read", resource: ORDERS });
        expect(tokens.token_type).toBe("bearer");
        expect(tokens.scope).toBe("orders.read");
        const jwks = createRemoteJWKSet(new URL(c.serverMetadata().jwks_uri!));
        const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, {
          issuer: server.issuer,
          audience: ORDERS,
          typ: "at+jwt",
        });
        expect(protectedHeader.alg).toBe("RS256");
        expect(payload).toMatchObject({ client_id: "m2m-basic", sub: "m2m-basic", scope: "orders.read" });
        const info = await oidc.tokenIntrospection(await asApi(), tokens.access_token);
        expect(info).toMatchObject({ active: true, client_id: "m2m-basic", aud: ORDERS, scope: "orders.read" });
      });

      it("signs with ES256 and EdDSA where the API resource says so", async () => {
        const c = await connect("m2m-basic", oidc.ClientSecretBasic(SECRET));
        const jwks = createRemoteJWKSet(new URL(c.serverMetadata().jwks_uri!));
        for (const [scope, alg, aud] of [
          ["ledger.read", "ES256", "https://ledger.example"],
          ["edge.read", "EdDSA", "https://edge.example"],
        ] as const) {
          const { access_token } = await oidc.clientCredentialsGrant(c, { scope });
          expect(decodeProtectedHeader(access_token).alg).toBe(alg);
          await expect(jwtVerify(access_token, jwks, { audience: aud })).resolves.toBeTruthy();
        }
      });

      it("authenticates with client_secret_post and private_key_jwt", async () => {
        const post = await oidc.clientCredentialsGrant(await connect("m2m-post", oidc.ClientSecretPost(SECRET)));
        expect(post.scope).toBe("orders.read");
        const jwtClient = await connect("m2m-jwt", oidc.PrivateKeyJwt({ key: clientKey, kid: "c1" }));
        const first = await oidc.clientCredentialsGrant(jwtClient);
        const second = await oidc.clientCredentialsGrant(jwtClient);
        expect(first.access_token).not.toBe(second.access_token);
      });

      it("revokes a reference token: introspection then says inactive", async () => {
        const c = await connect("m2m-reference", oidc.ClientSecretBasic(SECRET));
        const { access_token } = await oidc.clientCredentialsGrant(c);
        expect(access_token.split(".")).toHaveLength(1);
        expect((await oidc.tokenIntrospection(await asApi(), access_token)).active).toBe(true);
        await oidc.tokenRevocation(c, access_token);
        expect((await oidc.tokenIntrospection(await asApi(), access_token)).active).toBe(false);
      });

      it("answers errors with the RFC codes through the client library", async () => {
        const c = await connect("m2m-basic", oidc.ClientSecretBasic(SECRET));
        const failure = (p: Promise<unknown>) =>
          p.then(
            () => {
              throw new Error("expected a failure");
            },
            (e: unknown) => e as oidc.ResponseBodyError,
          );
        expect(await failure(oidc.clientCredentialsGrant(c, { scope: "nope" }))).toMatchObject({ error: "invalid_scope", status: 400 });
        expect(await failure(oidc.clientCredentialsGrant(c, { resource: "https://unknown.example" }))).toMatchObject({
          error: "invalid_target",
          status: 400,
        });
        // A 401 with a WWW-Authenticate challenge surfaces as the library's challenge error.
        const wrong = await connect("m2m-basic", oidc.ClientSecretBasic("wrong-secret"));
        const challenge = (await failure(oidc.clientCredentialsGrant(wrong))) as unknown as oidc.WWWAuthenticateChallengeError;
        expect(challenge).toBeInstanceOf(oidc.WWWAuthenticateChallengeError);
        expect(challenge.status).toBe(401);
        expect(challenge.cause[0]).toMatchObject({ scheme: "basic", parameters: { realm: "portcullis" } });
      });

      it("answers malformed requests with the spec's error, never a 500", async () => {
        const url = `${server.issuer}/connect/token`;
        const basic = "Basic " + Buffer.from(`m2m-basic:${SECRET}`).toString("base64");
        const form = { "content-type": "application/x-www-form-urlencoded" };
        const cases: [RequestInit, number, string, string][] = [
          [
            { method: "POST", headers: { ...form, authorization: basic }, body: "" },
            400,
            "invalid_request",
            "missing required parameter 'grant_type'",
          ],
          [
            { method: "POST", headers: { "content-type": "application/json", authorization: basic }, body: "{}" },
            400,
            "invalid_request",
            "only application/x-www-form-urlencoded content-type bodies are supported",
          ],
          [
            { method: "POST", headers: { ...form, authorization: basic }, body: "grant_type=client_credentials&scope=a&scope=b" },
            400,
            "invalid_request",
            "'scope' parameter must not be provided twice",
          ],
          [
            { method: "POST", headers: { ...form, authorization: basic }, body: "grant_type=client_credentials&scope=" + "x".repeat(5000) },
            400,
            "invalid_request",
            "'scope' parameter is too long",
          ],
          [
            { method: "POST", headers: { ...form, authorization: basic }, body: "grant_type=password" },
            400,
            "unsupported_grant_type",
            "unsupported grant_type requested (password)",
          ],
          [
            { method: "POST", headers: { ...form, authorization: "Basic %%%" }, body: "grant_type=client_credentials" },
            400,
            "invalid_request",
            "invalid authorization header value format",
          ],
          [
            { method: "POST", headers: { ...form, authorization: basic }, body: "x=" + "a".repeat(70_000) },
            400,
            "invalid_request",
            "request body is too large",
          ],
        ];
        for (const [init, status, error, description] of cases) {
          const res = await fetch(url, init);
          expect(res.status).toBe(status);
          expect(res.headers.get("cache-control")).toBe("no-store");
          expect(await res.json()).toEqual({ error, error_description: description });
        }
        const unauth = await fetch(url, {
          method: "POST",
          headers: form,
          body: "grant_type=client_credentials&client_id=m2m-basic&client_secret=nope-nope",
        });
        expect(unauth.status).toBe(401);
        expect(unauth.headers.get("www-authenticate")).toBe('Basic realm="portcullis"');
        expect((await fetch(url)).status).toBe(405);
      });

      it("rotates keys without downtime: the next key is published before it signs; a token signed before still verifies", async () => {
        // Asserts on state, never on how fast the CLI runs: the next key waits an hour (PORTCULLIS_KEY_ACTIVATION_DELAY),
        // and each change is awaited by polling for it (the server sees changes within about a second).
        const c = await connect("m2m-basic", oidc.ClientSecretBasic(SECRET));
        const issue = async () => (await oidc.clientCredentialsGrant(c, { scope: "orders.read" })).access_token;
        const before = await issue();
        const kids = async () =>
          ((await (await fetch(c.serverMetadata().jwks_uri!)).json()) as { keys: { kid: string; alg: string }[] }).keys;
        const rotated = await runCli(server.env, ["keys", "rotate"]);
        expect(rotated.code).toBe(0);
        const next = /RS256\s+2\s+(\S+)\s+next/.exec(rotated.stdout)?.[1];
        expect(next).toBeTruthy();
        await eventually(async () => (await kids()).some((k) => k.kid === next));
        expect(decodeProtectedHeader(await issue()).kid).toBe(decodeProtectedHeader(before).kid);

        expect((await runCli(server.env, ["keys", "rotate", "--now"])).code).toBe(0);
        let after = "";
        await eventually(async () => decodeProtectedHeader((after = await issue())).kid !== decodeProtectedHeader(before).kid);
        const jwks = createRemoteJWKSet(new URL(c.serverMetadata().jwks_uri!));
        await expect(jwtVerify(before, jwks, { audience: ORDERS })).resolves.toBeTruthy();
        await expect(jwtVerify(after, jwks, { audience: ORDERS })).resolves.toBeTruthy();
        expect((await oidc.tokenIntrospection(await asApi(), before)).active).toBe(true);
      });
    });
  }
}
