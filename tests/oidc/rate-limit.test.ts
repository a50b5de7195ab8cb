/** Issue 8 item 5: rate limits on authorize, token and introspection, through the dispatcher. */
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { ProviderContext } from "@/lib/oidc";
import { DEFAULT_RATE_LIMITS, type RateLimitRule } from "@/lib/oidc/config";
import { Paths } from "@/lib/oidc/constants";
import { addressKey } from "@/lib/oidc/rate-limit";
import { routeProtocol } from "@/lib/oidc/routes";
import { createRateLimiter } from "@/lib/server/rate-limit";
import { databaseKinds } from "../helpers/databases";
import { databasePool } from "../helpers/prisma-provider";
import { addApi, addClient, basic, formRequest, ISSUER, SECRET, testProvider, type TestProvider } from "../helpers/provider";

const API_SECRET = "api-secret-api-secret-api-secret-api-secret";
const quiet = { warn: () => {}, error: () => {} };
const WINDOW = 3600;
const off = Object.fromEntries(Object.keys(DEFAULT_RATE_LIMITS.perWindow).map((r) => [r, 0])) as Record<RateLimitRule, number>;

let p: TestProvider;
let ctx: ProviderContext;

/** The test provider counting with small limits; every rule not named is off. */
function limitTo(limits: Partial<Record<RateLimitRule, number>>) {
  ctx = { ...p.ctx, limits: createRateLimiter({ window: WINDOW, perWindow: { ...off, ...limits } }, { store: "memory", log: quiet }) };
}

const send = (req: Request, ip = "192.0.2.1") => routeProtocol(req, ctx, new URL(req.url).pathname, { clientIp: ip })!;
const tokenReq = (headers = basic("svc", SECRET)) => formRequest(Paths.token, { grant_type: "client_credentials" }, headers);
const introspectReq = (headers = basic("https://orders.example", API_SECRET)) =>
  formRequest(Paths.introspection, { token: "unknown" }, headers);
const authorizeReq = (clientId = "web") =>
  new Request(`${ISSUER}${Paths.authorize}?${new URLSearchParams({ client_id: clientId, ...AUTHZ })}`);
const AUTHZ = {
  response_type: "code",
  redirect_uri: "https://app.example/cb",
  scope: "orders.read",
  code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
  code_challenge_method: "S256",
};

async function expectLimitedJson(res: Response) {
  expect(res.status).toBe(429);
  const wait = Number(res.headers.get("retry-after"));
  expect(wait).toBeGreaterThan(0);
  expect(wait).toBeLessThanOrEqual(WINDOW);
  expect(res.headers.get("cache-control")).toBe("no-store");
  expect(await res.json()).toEqual({
    error: "temporarily_unavailable",
    error_description: `too many requests, retry after ${wait} seconds`,
  });
}

beforeEach(async () => {
  p = await testProvider();
  await addApi(p.stores, "https://orders.example", ["orders.read"], {}, API_SECRET);
  await addClient(p.stores, { clientId: "svc", allowedScopes: ["orders.read"] });
  await addClient(p.stores, { clientId: "other", allowedScopes: ["orders.read"] });
  await addClient(p.stores, {
    clientId: "web",
    grantTypes: ["authorization_code"],
    redirectUris: ["https://app.example/cb"],
    allowedScopes: ["orders.read"],
  });
});

describe("rate limits", () => {
  it("answers the token endpoint 429 with Retry-After past the limit of a client address", async () => {
    limitTo({ "token.ip": 3 });
    for (let i = 0; i < 3; i++) expect((await send(tokenReq())).status).toBe(200);
    const res = await send(tokenReq());
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    await expectLimitedJson(res);
    // a refused request is not run: nothing issued, nothing audited
    expect((await send(tokenReq(basic("svc", "wrong")))).status).toBe(429);
    await p.ctx.clientAuthFailures.flush();
    expect(p.stores.data.audit).toHaveLength(0);
    expect((await send(tokenReq(), "192.0.2.2")).status).toBe(200);
  });

  it("counts a client only once it has authenticated, so naming it spends nothing", async () => {
    limitTo({ "token.client": 2 });
    for (let i = 0; i < 5; i++) expect((await send(tokenReq(basic("svc", "wrong")), `198.51.100.${i}`)).status).toBe(401);
    expect((await send(tokenReq(), "198.51.100.10")).status).toBe(200);
    expect((await send(tokenReq(), "198.51.100.11")).status).toBe(200);
    await expectLimitedJson(await send(tokenReq(), "198.51.100.12"));
    expect((await send(tokenReq(basic("other", SECRET)), "198.51.100.12")).status).toBe(200);
  });

  it("answers introspection 429 past the limit of an address, and of the API resource calling", async () => {
    limitTo({ "introspection.ip": 2 });
    for (let i = 0; i < 2; i++) expect((await send(introspectReq())).status).toBe(200);
    await expectLimitedJson(await send(introspectReq()));
    limitTo({ "introspection.client": 2 });
    for (let i = 0; i < 2; i++) expect((await send(introspectReq(), `203.0.113.${i}`)).status).toBe(200);
    await expectLimitedJson(await send(introspectReq(), "203.0.113.9"));
    expect((await send(introspectReq(basic("svc", SECRET)), "203.0.113.9")).status).toBe(200);
  });

  it("answers authorize with a plain 429 page past the limit of an address, and of the client_id named", async () => {
    limitTo({ "authorize.ip": 2 });
    for (let i = 0; i < 2; i++) expect((await send(authorizeReq())).status).toBe(303);
    const res = await send(authorizeReq());
    expect(res.status).toBe(429);
    expect(res.headers.get("content-type")).toBe("text/plain;charset=UTF-8");
    const wait = Number(res.headers.get("retry-after"));
    expect(wait).toBeGreaterThan(0);
    expect(await res.text()).toBe(`Too many requests. Try again in ${wait} seconds.\n`);
    // an interaction is stored only for the requests let through
    expect([...p.stores.data.grants.values()].filter((g) => g.type === "interaction")).toHaveLength(2);

    limitTo({ "authorize.client": 2 });
    expect((await send(authorizeReq(), "198.51.100.1")).status).toBe(303);
    const body = new URLSearchParams({ client_id: "web", ...AUTHZ }).toString();
    const post = new Request(`${ISSUER}${Paths.authorize}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "content-length": String(body.length) },
      body,
    });
    // the endpoint still reads the body the limit looked into
    expect((await send(post, "198.51.100.2")).status).toBe(303);
    expect((await send(authorizeReq(), "198.51.100.3")).status).toBe(429);
    expect((await send(authorizeReq("svc"), "198.51.100.3")).status).not.toBe(429);
  });

  it("does not spend a client's allowance on requests refused for their address (review finding)", async () => {
    limitTo({ "authorize.ip": 2, "authorize.client": 5 });
    for (let i = 0; i < 50; i++) await send(authorizeReq(), "192.0.2.66");
    expect((await send(authorizeReq(), "192.0.2.66")).status).toBe(429);
    // 2 of the attacker's requests were counted for the client: the victim still has 3
    for (let i = 0; i < 3; i++) expect((await send(authorizeReq(), `192.0.2.${10 + i}`)).status).toBe(303);
    expect((await send(authorizeReq(), "192.0.2.20")).status).toBe(429);
  });

  it("counts a public client by address only: naming it is all its authentication", async () => {
    await addClient(p.stores, {
      clientId: "spa",
      tokenEndpointAuthMethod: "none",
      secrets: [],
      grantTypes: ["authorization_code"],
      redirectUris: ["https://app.example/cb"],
    });
    limitTo({ "token.client": 2 });
    const spa = () =>
      formRequest(Paths.token, { grant_type: "authorization_code", client_id: "spa", code: "x", redirect_uri: "https://app.example/cb" });
    for (let i = 0; i < 10; i++) expect((await send(spa(), `192.0.2.${i}`)).status).toBe(400);
  });

  it("limits end-session by address like authorize (it stores a logout request)", async () => {
    limitTo({ "authorize.ip": 2 });
    const end = () => new Request(`${ISSUER}${Paths.endSession}?state=x`);
    expect((await send(end())).status).toBe(303);
    expect((await send(end())).status).toBe(303);
    expect((await send(end())).status).toBe(429);
    expect((await send(end(), "192.0.2.9")).status).toBe(303);
  });

  it("counts IPv6 addresses by /64 and IPv4-mapped ones as IPv4", () => {
    expect(addressKey("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:DB8:0001:0002::1")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
    expect(addressKey("::ffff:192.0.2.7")).toBe("192.0.2.7");
    expect(addressKey("192.0.2.7")).toBe("192.0.2.7");
    expect(addressKey(undefined)).toBe("unknown");
  });
});

const pool = databasePool();
afterAll(() => pool.dropAll());

describe("rate limits shared through the database", () => {
  it("refuses the database store on SQLite (one instance)", () => {
    expect(() => createRateLimiter(DEFAULT_RATE_LIMITS, { store: "database", databaseUrl: "file:./x.db", log: quiet })).toThrow(
      "rate limits in the database need PostgreSQL (SQLite runs a single instance: use memory)",
    );
  });

  if (databaseKinds.includes("postgresql")) {
    it("counts requests to two instances together", async () => {
      const database = await pool.create("postgresql");
      const settings = { window: WINDOW, perWindow: { ...off, "token.ip": 3 } };
      const a = createRateLimiter(settings, { store: "database", databaseUrl: database.url, log: quiet });
      const b = createRateLimiter(settings, { store: "database", databaseUrl: database.url, log: quiet });
      try {
        expect(await a.hit("token.ip", "192.0.2.1")).toBe(0);
        expect(await b.hit("token.ip", "192.0.2.1")).toBe(0);
        expect(await a.hit("token.ip", "192.0.2.1")).toBe(0);
        const wait = await b.hit("token.ip", "192.0.2.1");
        expect(wait).toBeGreaterThan(0);
        expect(wait).toBeLessThanOrEqual(WINDOW);
        expect(await b.hit("token.ip", "192.0.2.2")).toBe(0);
        expect(await a.hit("authorize.ip", "192.0.2.1")).toBe(0);
      } finally {
        await a.close();
        await b.close();
      }
    });
  }
});
