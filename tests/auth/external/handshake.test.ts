/**
 * The handshake in-process against a real upstream (node-oidc-provider on loopback): what it
 * captures, the ID token's signature, the single-use continue step, the flow cookie, the cache
 * of providers across instances, and an upstream that is down.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SignJWT, generateKeyPair } from "jose";
import { externalSignInUrl } from "@/lib/auth/external";
import { FLOW_COOKIE } from "@/lib/auth/external/flow";
import { IdentityRejected, remoteKeys, verifyIdTokenSignature } from "@/lib/auth/external/identity";
import { createBoundedFetch } from "@/lib/auth/external/fetch";
import { createExternalSignIn } from "@/lib/auth/external/service";
import { callbackUrl } from "@/lib/auth/external/settings";
import { Browser } from "./browser";
import { ISSUER, RP_REDIRECT, SERVER_SECRET, providerData, startPortcullis, type TestPortcullis } from "./setup";
import { LOGIN_PATH, startUpstream, type Upstream } from "./upstream";

const SECRET = "upstream-client-secret-0123456789";
let up: Upstream;
let p: TestPortcullis;

beforeAll(async () => {
  up = await startUpstream({
    clients: [
      { client_id: "portcullis", client_secret: SECRET, redirect_uris: [callbackUrl(ISSUER, "acme"), callbackUrl(ISSUER, "down")] },
    ],
    accounts: {
      alice: {
        email: "alice@acme.test",
        email_verified: true,
        name: "Alice Liddell",
        given_name: "Alice",
        preferred_username: "alice.l",
        locale: "en",
      },
      carla: { email: "carla@acme.test", email_verified: true, name: "Carla" },
    },
  });
  p = await startPortcullis("sqlite", { clock: true });
  await p.store.createProvider(providerData({ id: "acme", issuer: up.issuer, clientSecret: SECRET }));
});
afterAll(async () => {
  await up?.close();
  await p?.close();
});

const atLogin = (u: URL) => u.pathname.startsWith(LOGIN_PATH);
const done = (u: URL) => u.href.startsWith(RP_REDIRECT) || u.pathname === "/interaction/login" || u.pathname.endsWith("/continue");

/** start -> upstream login as `account` -> callback; stops at the continue URL. */
async function toContinue(browser: Browser, account = "alice", extra = "") {
  p.clock.now = Date.now();
  const interaction = await p.interaction();
  const upstream = await browser.follow(ISSUER + externalSignInUrl("acme", interaction), atLogin);
  const back = await browser.follow(`${upstream.url}?account=${account}${extra}`, done);
  return { interaction, url: back.url };
}

describe("handshake with a real upstream", () => {
  it("captures the verified identity and signs the user in with the upstream's amr", async () => {
    const browser = new Browser({ origin: ISSUER, handle: p.handle });
    const { url } = await toContinue(browser, "alice", "&amr=pwd,hwk");
    expect(url.pathname).toBe("/interaction/external/continue");
    const end = await browser.follow(url, (u) => u.href.startsWith(RP_REDIRECT));
    expect(end.url.searchParams.get("code")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(browser.cookie(FLOW_COOKIE)).toBeUndefined();

    const link = await p.store.findLink("acme", "alice");
    expect(link).toMatchObject({
      link: { email: "alice@acme.test", displayName: "Alice Liddell" },
      user: { username: "alice.l", email: "alice@acme.test", emailVerified: true, hasPassword: false },
    });
    expect(link!.user.claims).toEqual({ name: "Alice Liddell", given_name: "Alice", locale: "en" });
    const session = await p.db.session.findFirstOrThrow({ where: { userId: link!.user.id } });
    expect(session.amr).toEqual(["pwd", "hwk"]);
    const types = (
      await p.db.auditEvent.findMany({ where: { subject: link!.user.id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })
    ).map((e) => e.type);
    expect(types).toEqual(["external_login_created", "external_login_succeeded", "login_succeeded"]);
  });

  it("takes the captured result once, and only in the browser that started the flow", async () => {
    const browser = new Browser({ origin: ISSUER, handle: p.handle });
    const { interaction, url } = await toContinue(browser);
    const result = url.searchParams.get("result")!;

    // Another browser with the same URL: back to the login page, and the result is not used up.
    const stranger = await new Browser({ origin: ISSUER, handle: p.handle }).get(url);
    expect(stranger.status).toBe(303);
    expect(stranger.headers.get("location")).toBe(`${ISSUER}/interaction/login?interaction=${interaction}&external_error=bad_state`);

    const flowCookie = browser.cookie(FLOW_COOKIE);
    const both = await Promise.all([1, 2].map(() => p.service.consume({ result, interaction, flowCookie })));
    expect(both.map((o) => o.kind).sort()).toEqual(["refused", "signed_in"]);
    expect(both.find((o) => o.kind === "refused")).toEqual({ kind: "refused", code: "bad_state" });
  });

  it("asks for the password of a local account with the same email, then links it in the same flow", async () => {
    const carla = await p.db.user.create({
      data: { username: "carla-local", email: "carla@acme.test", emailVerified: true, passwordHash: "scrypt$x", claims: {}, roles: [] },
    });
    const browser = new Browser({ origin: ISSUER, handle: p.handle });
    const { interaction, url } = await toContinue(browser, "carla");
    const res = await browser.get(url);
    const location = new URL(res.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe(`${ISSUER}/interaction/login`);
    expect([...location.searchParams.keys()]).toEqual(["interaction", "external_link"]);
    expect(location.searchParams.get("interaction")).toBe(interaction);
    expect(await p.store.listLinks(carla.id)).toEqual([]);

    const pendingLink = location.searchParams.get("external_link")!;
    const flowCookie = browser.cookie(FLOW_COOKIE);
    expect(flowCookie).toBeDefined();
    // The login page prefills the form with the upstream's email: only for this browser and interaction, without using the link up.
    expect(await p.service.pendingLinkEmail({ pendingLink, interaction, flowCookie })).toBe("carla@acme.test");
    expect(await p.service.pendingLinkEmail({ pendingLink, interaction, flowCookie: undefined })).toBeNull();
    expect(await p.service.pendingLinkEmail({ pendingLink, interaction: "another-interaction", flowCookie })).toBeNull();
    expect(await p.service.pendingLinkEmail({ pendingLink: `${pendingLink}x`, interaction, flowCookie })).toBeNull();
    const outcome = await p.service.linkAfterPasswordProof({ pendingLink, provenUserId: carla.id, interaction, flowCookie });
    expect(outcome).toMatchObject({ kind: "signed_in", userId: carla.id, linked: true, providerId: "acme" });
    expect(await p.store.listLinks(carla.id)).toEqual([expect.objectContaining({ providerId: "acme", subject: "carla" })]);
    expect(await p.service.pendingLinkEmail({ pendingLink, interaction, flowCookie })).toBeNull();
  });

  it("refuses a forged or altered flow cookie at the callback", async () => {
    const browser = new Browser({ origin: ISSUER, handle: p.handle });
    p.clock.now = Date.now();
    const interaction = await p.interaction();
    const upstream = await browser.follow(ISSUER + externalSignInUrl("acme", interaction), atLogin);
    const flow = browser.cookies.find((c) => c.name === FLOW_COOKIE)!;
    flow.value = flow.value.replace(/^./, (c) => (c === "A" ? "B" : "A"));
    const back = await browser.follow(`${upstream.url}?account=alice`, done);
    expect(back.url.href).toBe(`${ISSUER}/interaction/login?external_error=bad_state`);
    expect(
      await p.db.auditEvent.findFirst({ where: { type: "external_login_failed" }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
    ).toMatchObject({
      details: { provider: "acme", reason: "bad_state", detail: "no flow cookie (another browser, or expired)" },
    });
  });

  it("sees a provider change made by another instance within a second", async () => {
    p.clock.now = Date.now();
    const other = await createExternalSignIn({
      ctx: p.ctx,
      store: p.store,
      secret: SERVER_SECRET,
      timeoutMs: 30_000,
      maxBytes: 1_048_576,
      cacheTtlMs: 60_000,
    });
    expect((await other.directory.get("acme"))!.provider.enabled).toBe(true);
    const { id: _i, clientSecret: _s, ...rest } = providerData({ id: "acme", issuer: up.issuer });
    await p.store.updateProvider("acme", { ...rest, enabled: false });
    expect((await other.directory.get("acme"))!.provider.enabled).toBe(true);
    p.clock.now += 1000;
    expect((await other.directory.get("acme"))!.provider.enabled).toBe(false);
    await p.store.updateProvider("acme", { ...rest, enabled: true });
  });

  it("brings the browser back with upstream_unavailable when the upstream is down, and writes nothing", async () => {
    await p.store.createProvider(providerData({ id: "down", issuer: "http://127.0.0.1:1" }));
    p.clock.now = Date.now();
    const interaction = await p.interaction();
    const users = await p.db.user.count();
    const res = await new Browser({ origin: ISSUER, handle: p.handle }).get(ISSUER + externalSignInUrl("down", interaction));
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${ISSUER}/interaction/login?interaction=${interaction}&external_error=upstream_unavailable`);
    expect(await p.db.user.count()).toBe(users);
    expect(
      await p.db.auditEvent.findFirst({ where: { type: "external_login_failed" }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
    ).toMatchObject({
      details: { provider: "down", reason: "upstream_unavailable", detail: expect.stringContaining("127.0.0.1:1 did not answer") },
    });
  });

  it("answers 404 for Auth.js's own routes", async () => {
    for (const path of ["signin", "signin/acme", "session", "csrf", "providers", "signout", "error"]) {
      expect(await p.service.handle(new Request(`${ISSUER}/interaction/external/${path}`))).toBeNull();
    }
    expect(await p.service.handle(new Request(`${ISSUER}/interaction/external/callback/acme`, { method: "POST" }))).toBeNull();
  });
});

describe("ID token signature", () => {
  it("is checked against the upstream's JWKS: a token signed by another key or with HS256 is refused", async () => {
    const keys = remoteKeys(`${up.issuer}/jwks`, createBoundedFetch({ timeoutMs: 30_000, maxBytes: 100_000 }), 5000);
    const claims = { sub: "alice", aud: "portcullis", iss: up.issuer };
    const { privateKey } = await generateKeyPair("RS256");
    const kid = `up-${new URL(up.issuer).port}`;
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid })
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(privateKey);
    await expect(verifyIdTokenSignature(forged, keys, { issuer: up.issuer, audience: "portcullis" })).rejects.toThrow(
      new IdentityRejected("the ID token failed verification: signature verification failed"),
    );
    const hs = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256" })
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode(SECRET));
    await expect(verifyIdTokenSignature(hs, keys, { issuer: up.issuer, audience: "portcullis" })).rejects.toThrow(
      /the ID token failed verification: .*alg/,
    );
  });
});
