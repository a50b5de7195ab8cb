/**
 * Dynamic client registration on the built server, both serving paths: an administrator issues
 * an initial access token through the REST API, openid-client registers with it over HTTP and
 * signs in as the new client, and the client manages itself at its registration_client_uri.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as oidc from "openid-client";
import { createTestDatabase, type TestDatabase } from "../helpers/databases";
import { serverModes, startServer, type RunningServer } from "../helpers/server";

const SECRET = "automation-secret-automation-secret-01";
const insecure = { execute: [oidc.allowInsecureRequests] };
const EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
const ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";

for (const mode of serverModes) {
  describe(`dynamic client registration over HTTP, ${mode} server`, () => {
    let database: TestDatabase;
    let server: RunningServer;
    let admin: string;

    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${server.issuer}/api/admin/v1${path}`, {
        ...init,
        headers: { "content-type": "application/json", authorization: `Bearer ${admin}` },
      });

    beforeAll(async () => {
      database = await createTestDatabase("sqlite");
      server = await startServer({
        mode,
        databaseUrl: database.url,
        env: {
          PORTCULLIS_REGISTRATION_GRANT_TYPES: "authorization_code refresh_token client_credentials",
          PORTCULLIS_REGISTRATION_SCOPES: "openid orders.read",
        },
        config: {
          api_resources: [{ name: "https://orders.example", scopes: [{ name: "orders.read" }] }],
          clients: [
            { client_id: "automation", client_name: "Automation", client_secret: SECRET, scope: "portcullis:admin orders.read" },
            {
              client_id: "gateway",
              client_name: "Gateway",
              client_secret: SECRET,
              scope: "orders.read",
              grant_types: [EXCHANGE],
              portcullis: { token_exchange: { impersonation: true } },
            },
          ],
        },
      });
      const config = await oidc.discovery(new URL(server.issuer), "automation", undefined, oidc.ClientSecretBasic(SECRET), insecure);
      admin = (await oidc.clientCredentialsGrant(config, { scope: "portcullis:admin" })).access_token;
    });
    afterAll(async () => {
      await server?.stop();
      await database?.drop();
    });

    it("issues a one-use initial access token through the REST API; openid-client registers once and gets a token", async () => {
      const issued = await api("/initial-access-tokens", { method: "POST", body: JSON.stringify({ description: "ci", max_uses: 1 }) });
      expect(issued.status).toBe(201);
      const { token, initial_access_token } = (await issued.json()) as {
        token: { id: string; uses: number };
        initial_access_token: string;
      };
      expect(token.uses).toBe(0);
      const metadata = {
        client_name: "Nightly export",
        grant_types: ["client_credentials"],
        token_endpoint_auth_method: "client_secret_post",
        scope: "orders.read",
      };
      const config = await oidc.dynamicClientRegistration(new URL(server.issuer), metadata, undefined, {
        ...insecure,
        initialAccessToken: initial_access_token,
      });
      expect(config.serverMetadata().registration_endpoint).toBe(`${server.issuer}/connect/register`);
      expect((await oidc.clientCredentialsGrant(config, { scope: "orders.read" })).scope).toBe("orders.read");
      const again = await oidc
        .dynamicClientRegistration(new URL(server.issuer), metadata, undefined, { ...insecure, initialAccessToken: initial_access_token })
        .catch((e: unknown) => e as oidc.WWWAuthenticateChallengeError);
      expect(again).toBeInstanceOf(oidc.WWWAuthenticateChallengeError);
      expect((again as oidc.WWWAuthenticateChallengeError).cause[0]).toMatchObject({
        scheme: "bearer",
        parameters: { error: "invalid_token" },
      });
      const list = (await (await api("/initial-access-tokens")).json()) as { items: { id: string; uses: number }[] };
      expect(list.items.find((t) => t.id === token.id)?.uses).toBe(1);
      const client = (await (await api(`/clients/${config.clientMetadata().client_id}`)).json()) as Record<string, unknown>;
      expect(client).toMatchObject({ client_name: "Nightly export", registered_dynamically: true });
      expect((await api(`/initial-access-tokens/${token.id}`, { method: "DELETE" })).status).toBe(204);
      expect((await api(`/initial-access-tokens/${token.id}`, { method: "DELETE" })).status).toBe(404);
    });

    it("exchanges a token (RFC 8693) over HTTP, and refuses delegation the policy does not allow", async () => {
      const automation = await oidc.discovery(new URL(server.issuer), "automation", undefined, oidc.ClientSecretBasic(SECRET), insecure);
      const subject_token = (await oidc.clientCredentialsGrant(automation, { scope: "orders.read" })).access_token;
      const gateway = await oidc.discovery(new URL(server.issuer), "gateway", undefined, oidc.ClientSecretBasic(SECRET), insecure);
      const exchanged = await oidc.genericGrantRequest(gateway, EXCHANGE, {
        subject_token,
        subject_token_type: ACCESS_TOKEN,
        audience: "https://orders.example",
      });
      expect(exchanged).toMatchObject({ issued_token_type: ACCESS_TOKEN, token_type: "bearer", scope: "orders.read" });
      const refused = await oidc
        .genericGrantRequest(gateway, EXCHANGE, {
          subject_token,
          subject_token_type: ACCESS_TOKEN,
          actor_token: subject_token,
          actor_token_type: ACCESS_TOKEN,
        })
        .catch((e: unknown) => e as oidc.ResponseBodyError);
      expect(refused).toMatchObject({ status: 400, error: "unauthorized_client", error_description: "client is not allowed delegation" });
    });

    it("serves RFC 7592 read, update and delete at the registration_client_uri", async () => {
      const { initial_access_token } = (await (await api("/initial-access-tokens", { method: "POST", body: "{}" })).json()) as {
        initial_access_token: string;
      };
      const created = await fetch(`${server.issuer}/connect/register`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${initial_access_token}` },
        body: JSON.stringify({ redirect_uris: ["https://app.example/cb"], client_name: "Web" }),
      });
      expect(created.status).toBe(201);
      const body = (await created.json()) as { client_id: string; registration_client_uri: string; registration_access_token: string };
      expect(body.registration_client_uri).toBe(`${server.issuer}/connect/register/${body.client_id}`);
      const auth = { authorization: `Bearer ${body.registration_access_token}` };
      const read = await fetch(body.registration_client_uri, { headers: auth });
      expect(read.status).toBe(200);
      expect(await read.json()).toMatchObject({ client_id: body.client_id, client_name: "Web" });
      const put = await fetch(body.registration_client_uri, {
        method: "PUT",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ client_id: body.client_id, client_name: "Web 2", redirect_uris: ["https://app.example/cb"] }),
      });
      expect(put.status).toBe(200);
      expect(await put.json()).toMatchObject({ client_name: "Web 2" });
      const wrong = await fetch(body.registration_client_uri, { headers: { authorization: "Bearer nope" } });
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get("www-authenticate")).toMatch(/^Bearer realm="portcullis", error="invalid_token"/);
      expect((await fetch(body.registration_client_uri, { method: "DELETE", headers: auth })).status).toBe(204);
      expect((await fetch(body.registration_client_uri, { headers: auth })).status).toBe(401);
    });
  });
}
