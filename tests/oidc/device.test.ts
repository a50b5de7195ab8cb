/**
 * The device authorization grant (RFC 8628) with openid-client and oauth4webapi as the device,
 * talking to the provider in process through their customFetch, and the verification page's
 * service (lookUpUserCode, decideDeviceRequest) as the user's browser calls it.
 */
import { beforeEach, describe, expect, it } from "vitest";
import * as oidc from "openid-client";
import * as oauth from "oauth4webapi";
import { routeProtocol } from "@/lib/oidc/routes";
import { startSession } from "@/lib/oidc/session";
import { decideDeviceRequest, lookUpUserCode } from "@/lib/oidc/device/verification";
import { formatUserCode, generateUserCode, normalizeUserCode } from "@/lib/oidc/device/user-code";
import { createRateLimiter } from "@/lib/server/rate-limit";
import { addClient, basic, formRequest, ISSUER, SECRET, testProvider, type TestProvider } from "../helpers/provider";

const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
const USER_CODE = /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/;
let p: TestProvider;
let session: string;

const fetchHere: oidc.CustomFetch = async (url, options) => {
  const req = new Request(url, { method: options.method, headers: options.headers, body: options.body as BodyInit | undefined });
  return (await routeProtocol(req, p.ctx, new URL(url).pathname)) ?? new Response("not found", { status: 404 });
};

const rp = (clientId = "tv") => oidc.discovery(new URL(ISSUER), clientId, undefined, oidc.None(), { [oidc.customFetch]: fetchHere });

/** The device's start, as a public client with openid-client. */
async function start(scope = "openid profile offline_access", clientId = "tv") {
  const config = await rp(clientId);
  return { config, response: await oidc.initiateDeviceAuthorization(config, { scope }) };
}

/** One poll with oauth4webapi (no waiting): the raw answer, to read status, headers and body. */
async function poll(deviceCode: string, clientId = "tv"): Promise<{ status: number; body: Record<string, unknown>; cache: string | null }> {
  const config = await rp(clientId);
  const res = await oauth.deviceCodeGrantRequest(config.serverMetadata(), { client_id: clientId }, oauth.None(), deviceCode, {
    [oauth.customFetch]: fetchHere,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, cache: res.headers.get("cache-control") };
}

const approve = (userCode: string, scopes: string[] = [], handle = session) =>
  decideDeviceRequest(p.ctx, userCode, handle, { allow: true, scopes });

beforeEach(async () => {
  p = await testProvider();
  p.clock.now = Date.now(); // openid-client checks token times against the real clock
  p.stores.data.identityResources.push(
    { name: "openid", enabled: true, claims: ["sub"], showInDiscovery: true },
    { name: "profile", enabled: true, claims: ["name"], showInDiscovery: true, displayName: "Your profile" },
  );
  const device = {
    grantTypes: [DEVICE_GRANT, "refresh_token"],
    allowedScopes: ["openid", "profile"],
    tokenEndpointAuthMethod: "none" as const,
    allowOfflineAccess: true,
    devicePollInterval: 1,
  };
  await addClient(p.stores, { clientId: "tv", clientName: "Living room TV", ...device });
  await addClient(p.stores, { clientId: "other-tv", ...device });
  await addClient(p.stores, { clientId: "web", grantTypes: ["authorization_code"], redirectUris: ["https://app.example/cb"] });
  await addClient(p.stores, { clientId: "kiosk", grantTypes: [DEVICE_GRANT], allowedScopes: ["openid"] });
  p.stores.data.users.set("u1", {
    id: "u1",
    username: "alice",
    email: null,
    emailVerified: false,
    claims: { name: "Alice" },
    roles: [],
    locked: false,
    updatedAt: new Date(p.clock.now),
  });
  session = (await startSession(p.ctx, { userId: "u1", amr: ["pwd"] })).handle;
});

describe("user codes", () => {
  it("are 8 characters of the RFC 8628 alphabet, read case-insensitively without dashes or spaces", () => {
    const codes = new Set(Array.from({ length: 200 }, generateUserCode));
    expect(codes.size).toBe(200);
    for (const c of codes) expect(formatUserCode(c)).toMatch(USER_CODE);
    expect(normalizeUserCode(" bcdf-ghjk ")).toBe("BCDFGHJK");
    expect(normalizeUserCode("BCDF GHJK")).toBe("BCDFGHJK");
    expect(normalizeUserCode("BCDF-GHJA")).toBeNull(); // a vowel
    expect(normalizeUserCode("BCDF-GHJ")).toBeNull();
    expect(normalizeUserCode("B".repeat(33))).toBeNull();
  });
});

describe("device authorization endpoint", () => {
  it("is advertised with the grant type", async () => {
    const config = await rp();
    expect(config.serverMetadata().device_authorization_endpoint).toBe(`${ISSUER}/connect/deviceauth`);
    expect(config.serverMetadata().grant_types_supported).toContain(DEVICE_GRANT);
  });

  it("answers device_code, user_code, both verification URIs, expires_in and interval from the client's settings", async () => {
    p.stores.data.clients.get("tv")!.deviceCodeLifetime = 120;
    p.stores.data.clients.get("tv")!.devicePollInterval = 7;
    const res = (await routeProtocol(
      formRequest("/connect/deviceauth", { client_id: "tv", scope: "openid" }),
      p.ctx,
      "/connect/deviceauth",
    ))!;
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual([
      "device_code",
      "expires_in",
      "interval",
      "user_code",
      "verification_uri",
      "verification_uri_complete",
    ]);
    expect(body.user_code).toMatch(USER_CODE);
    expect(body.device_code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.verification_uri).toBe(`${ISSUER}/device`);
    expect(body.verification_uri_complete).toBe(`${ISSUER}/device?user_code=${body.user_code}`);
    expect(body.expires_in).toBe(120);
    expect(body.interval).toBe(7);
    // only hashes are stored
    const stored = JSON.stringify([...p.stores.data.grants.values()]);
    expect(stored).not.toContain(body.device_code);
    expect(stored).not.toContain(String(body.user_code).replace("-", ""));
  });

  it("authenticates the client as the token endpoint does and checks grant type and scopes", async () => {
    const ask = async (body: Record<string, string>, headers: Record<string, string> = {}) => {
      const res = (await routeProtocol(formRequest("/connect/deviceauth", body, headers), p.ctx, "/connect/deviceauth"))!;
      return { status: res.status, body: await res.json() };
    };
    expect(await ask({ client_id: "web", scope: "openid" }, {})).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    expect(await ask({ scope: "openid" }, basic("web", SECRET))).toEqual({
      status: 400,
      body: { error: "unauthorized_client", error_description: "the device authorization grant is not allowed for this client" },
    });
    expect(await ask({ client_id: "tv", scope: "openid admin" })).toMatchObject({ status: 400, body: { error: "invalid_scope" } });
    expect(await ask({ client_id: "tv", scope: "email" })).toEqual({
      status: 400,
      body: { error: "invalid_scope", error_description: "requested scope is not allowed: email" },
    });
    expect(await ask({ scope: "openid offline_access" }, basic("kiosk", SECRET))).toEqual({
      status: 400,
      body: { error: "invalid_scope", error_description: "offline_access is not allowed for this client" },
    });
    expect(await ask({ scope: "openid" }, basic("kiosk", "wrong-secret-wrong-secret-wrong-secret"))).toMatchObject({ status: 401 });
    expect((await ask({ scope: "openid" }, basic("kiosk", SECRET))).status).toBe(200);
  });
});

describe("device code grant", () => {
  it("gives openid-client the tokens of the approving user once the user approved, once", async () => {
    const { config, response } = await start();
    expect(response.user_code).toMatch(USER_CODE);
    const looked = await lookUpUserCode(p.ctx, response.user_code.toLowerCase(), { sessionHandle: session });
    expect(looked).toMatchObject({
      ok: true,
      view: { userCode: response.user_code, client: { name: "Living room TV" }, user: { name: "Alice" }, needsSecondFactor: false },
    });
    if (!looked.ok) throw new Error("not found");
    expect(looked.view.scopes.map((s) => [s.name, s.required])).toEqual([
      ["openid", true],
      ["profile", false],
      ["offline_access", false],
    ]);
    expect(await approve(response.user_code, ["profile", "offline_access"])).toBe("approved");
    const tokens = await oidc.pollDeviceAuthorizationGrant(config, response);
    expect(tokens.claims()).toMatchObject({ sub: "u1", aud: "tv", iss: ISSUER, amr: ["pwd"], name: "Alice" });
    expect(tokens.scope).toBe("openid profile offline_access");
    expect(tokens.refresh_token).toBeTruthy();
    expect(await poll(response.device_code)).toEqual({
      status: 400,
      body: { error: "invalid_grant", error_description: "device code has already been used" },
      cache: "no-store",
    });
    // the code was decided: it cannot be looked up or decided again
    expect(await lookUpUserCode(p.ctx, response.user_code, { sessionHandle: session })).toEqual({ ok: false, problem: "unknown" });
    expect(await approve(response.user_code)).toBe("unknown");
  });

  it("keeps only the scopes the user left ticked (openid cannot be declined)", async () => {
    const { config, response } = await start();
    await approve(response.user_code, []);
    const tokens = await oidc.pollDeviceAuthorizationGrant(config, response);
    expect(tokens.scope).toBe("openid");
    expect(tokens.refresh_token).toBeUndefined();
  });

  it("answers authorization_pending, then slow_down to a device polling faster than its interval, which then grows by 5 seconds", async () => {
    p.stores.data.clients.get("tv")!.devicePollInterval = 5;
    const { response } = await start();
    const pending = {
      status: 400,
      body: { error: "authorization_pending", error_description: "the user has not yet approved the request" },
      cache: "no-store",
    };
    expect(await poll(response.device_code)).toEqual(pending);
    expect(await poll(response.device_code)).toEqual({
      status: 400,
      body: { error: "slow_down", error_description: "polling too fast: wait 10 seconds between requests" },
      cache: "no-store",
    });
    p.clock.advance(5); // the old interval is now too short
    expect((await poll(response.device_code)).body.error).toBe("slow_down");
    p.clock.advance(15); // the interval is 15 s after two slow_downs
    expect(await poll(response.device_code)).toEqual(pending);
    p.clock.advance(15);
    await approve(response.user_code);
    const ok = await poll(response.device_code);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: "Bearer", scope: "openid" });
  });

  it("counts a poll a little early (a late previous request) as on time", async () => {
    p.stores.data.clients.get("tv")!.devicePollInterval = 5;
    const { response } = await start();
    expect((await poll(response.device_code)).body.error).toBe("authorization_pending");
    p.clock.advance(4.2);
    expect((await poll(response.device_code)).body.error).toBe("authorization_pending");
    p.clock.advance(3.9);
    expect((await poll(response.device_code)).body.error).toBe("slow_down");
  });

  it("answers access_denied when the user denied, and openid-client stops", async () => {
    const { config, response } = await start();
    expect(await decideDeviceRequest(p.ctx, response.user_code, session, { allow: false, scopes: [] })).toBe("denied");
    await expect(oidc.pollDeviceAuthorizationGrant(config, response)).rejects.toMatchObject({
      error: "access_denied",
      error_description: "the user denied the request",
    });
    expect(await approve(response.user_code)).toBe("unknown");
  });

  it("answers expired_token once the device code's lifetime has passed; its user code is gone too", async () => {
    p.stores.data.clients.get("tv")!.deviceCodeLifetime = 60;
    const { response } = await start();
    expect(response.expires_in).toBe(60);
    p.clock.advance(61);
    expect(await poll(response.device_code)).toEqual({
      status: 400,
      body: { error: "expired_token", error_description: "device code is expired" },
      cache: "no-store",
    });
    expect(await lookUpUserCode(p.ctx, response.user_code, { sessionHandle: session })).toEqual({ ok: false, problem: "unknown" });
    expect(await approve(response.user_code)).toBe("unknown");
  });

  it("refuses an unknown device code, another client's, and a missing one", async () => {
    const { response } = await start();
    expect((await poll("not-a-device-code")).body).toEqual({ error: "invalid_grant", error_description: "device code is invalid" });
    expect((await poll(response.device_code, "other-tv")).body).toEqual({ error: "invalid_grant", error_description: "client mismatch" });
    expect((await poll("x".repeat(201))).body).toEqual({ error: "invalid_grant", error_description: "device code is invalid" });
    const res = (await routeProtocol(
      formRequest("/connect/token", { client_id: "tv", grant_type: DEVICE_GRANT }),
      p.ctx,
      "/connect/token",
    ))!;
    expect(await res.json()).toEqual({ error: "invalid_request", error_description: "missing required parameter 'device_code'" });
    // the grant type is per client
    const web = (await routeProtocol(
      formRequest("/connect/token", { grant_type: DEVICE_GRANT, device_code: response.device_code }, basic("web", SECRET)),
      p.ctx,
      "/connect/token",
    ))!;
    expect((await web.json()).error).toBe("unauthorized_client");
  });

  it("gives a concurrent burst of approved polls the tokens once", async () => {
    const { response } = await start("openid");
    await approve(response.user_code);
    const answers = await Promise.all([1, 2, 3, 4].map(() => poll(response.device_code)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    // the others were too fast or too late: never a second set of tokens
    for (const a of answers.filter((x) => x.status !== 200)) expect(["slow_down", "invalid_grant"]).toContain(a.body.error);
  });
});

describe("verification page service", () => {
  it("needs a signed-in user, says wrong and malformed codes apart, and throttles look-ups", async () => {
    const { response } = await start();
    expect(await lookUpUserCode(p.ctx, response.user_code, { sessionHandle: undefined })).toEqual({ ok: false, problem: "signed_out" });
    expect(await approve(response.user_code, [], "no-such-session")).toBe("signed_out");
    expect(await lookUpUserCode(p.ctx, "ABC", { sessionHandle: session })).toEqual({ ok: false, problem: "format" });
    expect(await lookUpUserCode(p.ctx, "BCDF-GHJK", { sessionHandle: session })).toEqual({ ok: false, problem: "unknown" });
    p.ctx.limits = createRateLimiter(
      { window: 60, perWindow: { ...p.ctx.settings.rateLimits.perWindow, "device.user": 3 } },
      { store: "memory", log: { warn: () => {}, error: () => {} } },
    );
    for (let i = 0; i < 3; i++) expect((await lookUpUserCode(p.ctx, "BCDF-GHJK", { sessionHandle: session })).ok).toBe(false);
    // the right code is refused too once the user's look-ups are spent
    expect(await lookUpUserCode(p.ctx, response.user_code, { sessionHandle: session })).toEqual({ ok: false, problem: "throttled" });
  });

  it("asks for a second factor first when the client requires one", async () => {
    p.stores.data.clients.get("tv")!.requireMfa = true;
    const { response } = await start();
    expect(await lookUpUserCode(p.ctx, response.user_code, { sessionHandle: session })).toMatchObject({
      ok: true,
      view: { needsSecondFactor: true },
    });
    expect(await approve(response.user_code)).toBe("second_factor");
    const strong = (await startSession(p.ctx, { userId: "u1", amr: ["pwd", "otp", "mfa"] })).handle;
    expect(await approve(response.user_code, [], strong)).toBe("approved");
  });
});
