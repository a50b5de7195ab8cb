/**
 * The device authorization grant on the real databases, with two provider instances on one
 * database (each its own pool and caches): the client comes from the configuration file's
 * settings, concurrent polls on both instances are decided by the database (one goes on, the
 * rest slow down; an approved code gives tokens once), and oauth4webapi is the device.
 */
import { afterAll, describe, expect, it } from "vitest";
import * as oauth from "oauth4webapi";
import { importConfig } from "@/lib/admin/config-transfer";
import { decideDeviceRequest, startSession } from "@/lib/oidc";
import { routeProtocol } from "@/lib/oidc/routes";
import { createPrismaConfigRepository } from "@/lib/stores/prisma/config-repository";
import { databaseKinds } from "../helpers/databases";
import { databasePool, prismaProvider, testClock, type PrismaProvider } from "../helpers/prisma-provider";
import { ISSUER } from "../helpers/provider";

const pool = databasePool();
afterAll(() => pool.dropAll());

const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

async function setup(kind: "sqlite" | "postgresql") {
  const database = await pool.create(kind);
  const clock = testClock();
  const a = await prismaProvider(database.url, clock);
  const b = await prismaProvider(database.url, clock);
  database.track(a.db);
  database.track(b.db);
  await importConfig(createPrismaConfigRepository(a.db), {
    identity_resources: [{ name: "openid", claims: ["sub"] }],
    clients: [
      {
        client_id: "tv",
        client_name: "TV",
        token_endpoint_auth_method: "none",
        grant_types: [DEVICE_GRANT],
        scope: "openid",
        portcullis: { kind: "native", device_code_lifetime: 120, device_poll_interval: 3 },
      },
    ],
  });
  await a.db.user.create({ data: { id: "u1", username: "alice", claims: {}, roles: [] } });
  return { a, b, clock };
}

const fetchOn = (p: PrismaProvider) => async (url: string, options: oauth.CustomFetchOptions<"POST", URLSearchParams>) => {
  const req = new Request(url, { method: options.method, headers: options.headers, body: options.body });
  return (await routeProtocol(req, p.ctx, new URL(url).pathname)) ?? new Response("not found", { status: 404 });
};

const as = { issuer: ISSUER, token_endpoint: `${ISSUER}/connect/token`, device_authorization_endpoint: `${ISSUER}/connect/deviceauth` };
const client = { client_id: "tv" };

async function start(p: PrismaProvider) {
  const res = await oauth.deviceAuthorizationRequest(as, client, oauth.None(), new URLSearchParams({ scope: "openid" }), {
    [oauth.customFetch]: fetchOn(p),
  });
  return oauth.processDeviceAuthorizationResponse(as, client, res);
}

async function poll(p: PrismaProvider, deviceCode: string) {
  const res = await oauth.deviceCodeGrantRequest(as, client, oauth.None(), deviceCode, { [oauth.customFetch]: fetchOn(p) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

for (const kind of databaseKinds) {
  describe(`device flow on ${kind}, two instances`, () => {
    it("takes lifetime and interval from the client's portcullis settings", async () => {
      const { a } = await setup(kind);
      const started = await start(a);
      expect(started.expires_in).toBe(120);
      expect(started.interval).toBe(3);
    });

    it("lets one of concurrent polls on both instances go on; the others get slow_down and the interval grows", async () => {
      const { a, b, clock } = await setup(kind);
      const started = await start(a);
      const answers = await Promise.all([a, b, a, b].map((p) => poll(p, started.device_code)));
      expect(answers.filter((x) => x.body.error === "authorization_pending")).toHaveLength(1);
      expect(answers.filter((x) => x.body.error === "slow_down")).toHaveLength(3);
      const row = await a.db.persistedGrant.findFirst({ where: { type: "device_code" } });
      expect(row!.pollInterval).toBe(3 + 3 * 5);
      clock.advance(3 + 3 * 5);
      expect((await poll(b, started.device_code)).body.error).toBe("authorization_pending");
    });

    it("gives the tokens of an approved code once, of concurrent polls on both instances", async () => {
      const { a, b, clock } = await setup(kind);
      const started = await start(b);
      const { handle } = await startSession(a.ctx, { userId: "u1", amr: ["pwd"] });
      expect(await decideDeviceRequest(a.ctx, started.user_code, handle, { allow: true, scopes: [] })).toBe("approved");
      expect(await decideDeviceRequest(b.ctx, started.user_code, handle, { allow: false, scopes: [] })).toBe("unknown");
      // Each poll on its own schedule: all are on time, only the database's consume decides.
      const rounds = await Promise.all([a, b].map((p) => poll(p, started.device_code)));
      const won = rounds.filter((x) => x.status === 200);
      expect(won).toHaveLength(1);
      expect(won[0]!.body).toMatchObject({ token_type: "Bearer", scope: "openid" });
      const lost = rounds.find((x) => x.status !== 200)!;
      expect(["slow_down", "invalid_grant"]).toContain(lost.body.error);
      clock.advance(10);
      expect(await poll(a, started.device_code)).toEqual({
        status: 400,
        body: { error: "invalid_grant", error_description: "device code has already been used" },
      });
    });

    it("answers expired_token after the lifetime, and access_denied after a denial", async () => {
      const { a, b, clock } = await setup(kind);
      const denied = await start(a);
      const expiring = await start(a);
      const { handle } = await startSession(a.ctx, { userId: "u1", amr: ["pwd"] });
      expect(await decideDeviceRequest(b.ctx, denied.user_code, handle, { allow: false, scopes: [] })).toBe("denied");
      expect((await poll(b, denied.device_code)).body).toEqual({
        error: "access_denied",
        error_description: "the user denied the request",
      });
      clock.advance(121);
      expect((await poll(a, expiring.device_code)).body).toEqual({ error: "expired_token", error_description: "device code is expired" });
    });
  });
}
