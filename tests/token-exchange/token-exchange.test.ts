/**
 * Token exchange (RFC 8693) on each database, with openid-client (genericGrantRequest) and
 * oauth4webapi (genericTokenEndpointRequest) as the exchanging clients, in process through their
 * customFetch: impersonation, delegation with `act` (nested), the per-client policy and every
 * refusal with its exact error.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as oidc from "openid-client";
import * as oauth from "oauth4webapi";
import { createLocalJWKSet, jwtVerify, type JWTPayload } from "jose";
import { inspectAccessToken, routeProtocol, type ProviderContext } from "@/lib/oidc";
import { createAccessToken } from "@/lib/oidc/tokens/access-token";
import { importConfig } from "@/lib/admin/config-transfer";
import { createPrismaConfigRepository } from "@/lib/stores/prisma/config-repository";
import type { Db } from "@/lib/db";
import { databaseKinds } from "../helpers/databases";
import { databasePool, prismaProvider, testClock, type Clock } from "../helpers/prisma-provider";
import { ISSUER } from "../helpers/provider";

const EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
const ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
const ORDERS = "https://orders.example";
const LEDGER = "https://ledger.example";
const SECRET = "exchange-secret-exchange-secret-exchange";
const pool = databasePool();
afterAll(() => pool.dropAll());

const machine = (id: string, scope: string, extra: Record<string, unknown> = {}) => ({
  client_id: id,
  client_name: id,
  client_secret: SECRET,
  scope,
  ...extra,
});

const CONFIG = {
  api_resources: [
    { name: ORDERS, scopes: [{ name: "orders.read" }, { name: "orders.write" }] },
    { name: LEDGER, scopes: [{ name: "ledger.read" }] },
  ],
  clients: [
    machine("frontend", "orders.read orders.write ledger.read"),
    machine("helper", "orders.read"),
    machine("gateway", "orders.read ledger.read", {
      grant_types: ["client_credentials", EXCHANGE],
      portcullis: { token_exchange: { impersonation: true, delegation: true, audiences: [ORDERS, LEDGER] } },
    }),
    machine("narrow", "orders.read orders.write ledger.read", {
      grant_types: [EXCHANGE],
      portcullis: { token_exchange: { impersonation: true, subject_clients: ["frontend"] } },
    }),
    machine("plain", "orders.read"),
  ],
};

for (const kind of databaseKinds) {
  describe(`token exchange on ${kind}`, () => {
    let ctx: ProviderContext;
    let db: Db;
    let clock: Clock;
    let jwks: ReturnType<typeof createLocalJWKSet>;

    const fetchHere: oidc.CustomFetch = async (url, options) => {
      const req = new Request(url, { method: options.method, headers: options.headers, body: options.body as BodyInit | undefined });
      return (await routeProtocol(req, ctx, new URL(url).pathname)) ?? new Response("not found", { status: 404 });
    };
    const rp = (clientId: string) =>
      oidc.discovery(new URL(ISSUER), clientId, undefined, oidc.ClientSecretBasic(SECRET), { [oidc.customFetch]: fetchHere });
    const tokenOf = async (clientId: string, scope?: string) =>
      (await oidc.clientCredentialsGrant(await rp(clientId), scope ? { scope } : {})).access_token;
    const exchange = async (clientId: string, params: Record<string, string>) =>
      oidc.genericGrantRequest(await rp(clientId), EXCHANGE, params);
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => {
          throw new Error("expected a refusal");
        },
        (e: unknown) => {
          const err = e as oidc.ResponseBodyError;
          return { status: err.status, error: err.error, error_description: err.error_description };
        },
      );
    const verify = async (token: string) =>
      (await jwtVerify(token, jwks, { issuer: ISSUER, typ: "at+jwt", currentDate: new Date(clock.now) })).payload;

    beforeAll(async () => {
      const database = await pool.create(kind);
      clock = testClock();
      clock.now = Date.now();
      const p = await prismaProvider(database.url, clock);
      database.track(p.db);
      ctx = p.ctx;
      db = p.db;
      await ctx.keys.maintain();
      await importConfig(createPrismaConfigRepository(db), CONFIG);
      const res = await routeProtocol(new Request(`${ISSUER}/.well-known/jwks.json`), ctx, "/.well-known/jwks.json");
      jwks = createLocalJWKSet(await res!.json());
    });

    it("impersonates with openid-client: the subject's token for the exchanging client, within the subject's scopes and life", async () => {
      const subjectToken = await tokenOf("frontend", "orders.read orders.write");
      const subject = await verify(subjectToken);
      const res = await exchange("gateway", { subject_token: subjectToken, subject_token_type: ACCESS_TOKEN });
      expect(res).toMatchObject({ issued_token_type: ACCESS_TOKEN, token_type: "bearer", scope: "orders.read" });
      const claims = await verify(res.access_token);
      expect(claims).toMatchObject({ sub: "frontend", client_id: "gateway", aud: ORDERS, scope: "orders.read" });
      expect(claims.act).toBeUndefined();
      expect(claims.exp).toBeLessThanOrEqual(subject.exp!);
      const event = await db.auditEvent.findFirstOrThrow({ where: { type: "token.exchanged", clientId: "gateway" } });
      expect(event).toMatchObject({ actor: "client:gateway", subject: "frontend" });
      expect(event.details).toMatchObject({ kind: "impersonation", subject_client_id: "frontend", scope: "orders.read" });
    });

    it("delegates with oauth4webapi: act names the actor, and a second delegation nests the first actor", async () => {
      const as = await oauth.processDiscoveryResponse(
        new URL(ISSUER),
        await oauth.discoveryRequest(new URL(ISSUER), { [oauth.customFetch]: fetchHere }),
      );
      const client = { client_id: "gateway" };
      const auth = oauth.ClientSecretBasic(SECRET);
      const delegate = async (params: Record<string, string>) =>
        oauth.processGenericTokenEndpointResponse(
          as,
          client,
          await oauth.genericTokenEndpointRequest(as, client, auth, EXCHANGE, params, { [oauth.customFetch]: fetchHere }),
        );
      const first = await delegate({
        subject_token: await tokenOf("frontend", "orders.read"),
        subject_token_type: ACCESS_TOKEN,
        actor_token: await tokenOf("gateway", "orders.read"),
        actor_token_type: ACCESS_TOKEN,
        audience: ORDERS,
      });
      expect(first.issued_token_type).toBe(ACCESS_TOKEN);
      const delegated = await verify(first.access_token);
      expect(delegated).toMatchObject({ sub: "frontend", client_id: "gateway", act: { sub: "gateway", client_id: "gateway" } });

      const second = await delegate({
        subject_token: first.access_token,
        subject_token_type: ACCESS_TOKEN,
        actor_token: await tokenOf("helper"),
        actor_token_type: ACCESS_TOKEN,
        scope: "orders.read",
      });
      expect((await verify(second.access_token)).act).toEqual({
        sub: "helper",
        client_id: "helper",
        act: { sub: "gateway", client_id: "gateway" },
      });
      // Impersonation keeps the chain: a delegated token never loses its act.
      const third = await delegate({ subject_token: first.access_token, subject_token_type: ACCESS_TOKEN });
      expect(((await verify(third.access_token)) as JWTPayload & { act: unknown }).act).toEqual({ sub: "gateway", client_id: "gateway" });
      const events = await db.auditEvent.findMany({ where: { type: "token.exchanged" } });
      expect(events.map((e) => e.details)).toContainEqual(
        expect.objectContaining({ kind: "delegation", subject_client_id: "frontend", actor: { sub: "gateway", client_id: "gateway" } }),
      );
    });

    it("refuses what the policy forbids with the exact errors", async () => {
      const subject_token = await tokenOf("frontend", "orders.read orders.write");
      const base = { subject_token, subject_token_type: ACCESS_TOKEN };
      const cases: [string, Record<string, string>, string, string][] = [
        ["plain", base, "unauthorized_client", "requested grant type is not allowed for this client"],
        [
          "narrow",
          { ...base, actor_token: subject_token, actor_token_type: ACCESS_TOKEN },
          "unauthorized_client",
          "client is not allowed delegation",
        ],
        ["gateway", { ...base, audience: "https://evil.example" }, "invalid_target", "audience is not allowed: https://evil.example"],
        ["narrow", { ...base, resource: LEDGER }, "invalid_target", `audience is not allowed: ${LEDGER}`],
        ["gateway", { ...base, scope: "ledger.read" }, "invalid_scope", "scope is not in the subject token: ledger.read"],
        ["gateway", { ...base, scope: "orders.write" }, "invalid_scope", "requested scope is not allowed: orders.write"],
        ["gateway", { ...base, subject_token: "not-a-token" }, "invalid_request", "subject token is invalid, expired or revoked"],
        [
          "gateway",
          { ...base, actor_token: "not-a-token", actor_token_type: ACCESS_TOKEN },
          "invalid_request",
          "actor token is invalid, expired or revoked",
        ],
        [
          "gateway",
          { ...base, subject_token_type: "urn:ietf:params:oauth:token-type:id_token" },
          "invalid_request",
          "unsupported subject_token_type",
        ],
        [
          "gateway",
          { ...base, requested_token_type: "urn:ietf:params:oauth:token-type:refresh_token" },
          "invalid_request",
          "unsupported requested_token_type",
        ],
        ["gateway", { ...base, actor_token: subject_token }, "invalid_request", "missing required parameter 'actor_token_type'"],
        ["gateway", { ...base, actor_token_type: ACCESS_TOKEN }, "invalid_request", "actor_token_type given without actor_token"],
        ["gateway", { subject_token_type: ACCESS_TOKEN }, "invalid_request", "missing required parameter 'subject_token'"],
        ["gateway", { subject_token }, "invalid_request", "missing required parameter 'subject_token_type'"],
      ];
      for (const [clientId, params, error, error_description] of cases) {
        expect(await refusal(exchange(clientId, params)), `${clientId} ${JSON.stringify(params).slice(0, 200)}`).toEqual({
          status: 400,
          error,
          error_description,
        });
      }
      // narrow may exchange only frontend's tokens.
      const helperToken = await tokenOf("helper");
      expect(await refusal(exchange("narrow", { subject_token: helperToken, subject_token_type: ACCESS_TOKEN }))).toEqual({
        status: 400,
        error: "invalid_request",
        error_description: "subject token's client is not one whose tokens this client may exchange",
      });
      // No scope of the subject token fits the target: never the client's own scopes instead.
      expect(
        await refusal(exchange("gateway", { subject_token: helperToken, subject_token_type: ACCESS_TOKEN, audience: LEDGER })),
      ).toEqual({
        status: 400,
        error: "invalid_scope",
        error_description: "no scope of the subject token may be exchanged by this client",
      });
      // ...and gets a token for the subject token's own audience.
      expect((await exchange("narrow", base)).scope).toBe("orders.read orders.write");
    });

    it("issues a token that dies with the subject token's grant family", async () => {
      const frontend = (await ctx.config.client("frontend"))!;
      const orders = (await ctx.config.apiResources()).find((r) => r.name === ORDERS)!;
      const family = "family-of-a-code";
      const subject = await createAccessToken(ctx, {
        client: frontend,
        subject: "frontend",
        scopes: ["orders.read"],
        audiences: [ORDERS],
        resources: [orders],
        familyId: family,
      });
      const res = await exchange("gateway", { subject_token: subject.token, subject_token_type: ACCESS_TOKEN });
      expect(await inspectAccessToken(ctx, res.access_token)).not.toBeNull();
      await ctx.revocations.revokeFamily(family, new Date(clock.now + 3_600_000));
      expect(await inspectAccessToken(ctx, res.access_token)).toBeNull();
    });

    it("refuses a revoked or expired subject token with invalid_request (RFC 8693 2.2.2: MUST)", async () => {
      const subject_token = await tokenOf("frontend", "orders.read");
      await oidc.tokenRevocation(await rp("frontend"), subject_token);
      expect(await refusal(exchange("gateway", { subject_token, subject_token_type: ACCESS_TOKEN }))).toEqual({
        status: 400,
        error: "invalid_request",
        error_description: "subject token is invalid, expired or revoked",
      });
      const expiring = await tokenOf("frontend", "orders.read");
      clock.advance(3601);
      expect((await refusal(exchange("gateway", { subject_token: expiring, subject_token_type: ACCESS_TOKEN }))).error).toBe(
        "invalid_request",
      );
    });
  });
}
