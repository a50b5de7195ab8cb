/**
 * Back-Channel Logout 1.0 and Front-Channel Logout 1.0 on the real stores of each database, with
 * openid-client as the relying party (in process, through customFetch) and a loopback HTTP
 * server as the client's back-channel receiver, which verifies each logout token with jose
 * against the provider's JWKS.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import * as oidc from "openid-client";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet, type JWTPayload } from "jose";
import { routeProtocol } from "@/lib/oidc/routes";
import { startSession } from "@/lib/oidc/session";
import { Cookies } from "@/lib/oidc/constants";
import { importConfig } from "@/lib/admin/config-transfer";
import { createPrismaConfigRepository } from "@/lib/stores/prisma/config-repository";
import { createPrismaAccountStore } from "@/lib/stores/prisma/account";
import { createPrismaDirectoryStore } from "@/lib/stores/prisma/directory";
import { createPrismaLifecycleStore } from "@/lib/stores/prisma/lifecycle";
import { createPrismaLogoutDeliveryStore } from "@/lib/stores/prisma/logout-deliveries";
import { signOut } from "@/lib/account/service";
import { createLogoutDelivery, type LogoutDeliverySettings } from "@/lib/server/logout-delivery";
import { databaseKinds } from "../helpers/databases";
import { databasePool, prismaProvider, testClock, type PrismaProvider } from "../helpers/prisma-provider";
import { ISSUER } from "../helpers/provider";

const SECRET = "logout-secret-logout-secret-logout-1";
const REDIRECT = "https://rp.example/cb";
const AFTER = "https://rp.example/signed-out";
const EVENT = "http://schemas.openid.net/event/backchannel-logout";

/** The client's back-channel logout endpoint: records each POST; answers from `statuses`, then 200. */
class Receiver {
  server!: Server;
  posts: { contentType: string | undefined; body: URLSearchParams }[] = [];
  statuses: number[] = [];
  async start(): Promise<this> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        this.posts.push({ contentType: req.headers["content-type"], body: new URLSearchParams(body) });
        res.writeHead(this.statuses.shift() ?? 200).end();
      });
    });
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    return this;
  }
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/backchannel`;
  }
  tokens(): string[] {
    return this.posts.map((p) => p.body.get("logout_token")!);
  }
  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

const pool = databasePool();
const receivers: Receiver[] = [];
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close();
});
afterAll(() => pool.dropAll());

const allowLoopback: Partial<LogoutDeliverySettings> = { allowPrivate: true };

async function setup(kind: "sqlite" | "postgresql", o: { frontchannel?: boolean } = {}) {
  const database = await pool.create(kind);
  const clock = testClock();
  clock.now = Date.now(); // openid-client checks token times against the real clock
  const p = await prismaProvider(database.url, clock);
  database.track(p.db);
  await p.ctx.keys.maintain();
  const receiver = await new Receiver().start();
  receivers.push(receiver);
  const web = {
    client_secret: SECRET,
    grant_types: ["authorization_code"],
    redirect_uris: [REDIRECT],
    post_logout_redirect_uris: [AFTER],
    scope: "openid",
    portcullis: { kind: "web", require_consent: false },
  };
  await importConfig(createPrismaConfigRepository(p.db), {
    identity_resources: [{ name: "openid", claims: ["sub"] }],
    clients: [
      {
        ...web,
        client_id: "rp",
        client_name: "RP",
        backchannel_logout_uri: receiver.url,
        backchannel_logout_session_required: true,
        ...(o.frontchannel
          ? { frontchannel_logout_uri: "https://rp.example/frontchannel?x=1", frontchannel_logout_session_required: true }
          : {}),
      },
      { ...web, client_id: "quiet", client_name: "No logout URIs" },
    ],
  });
  await p.db.user.create({ data: { id: "u-alice", username: "alice", claims: {}, roles: [] } });
  const jwks = createLocalJWKSet((await (await route(p, new Request(`${ISSUER}/.well-known/jwks.json`))).json()) as JSONWebKeySet);
  const delivery = (settings: Partial<LogoutDeliverySettings> = {}, instance: PrismaProvider = p) =>
    createLogoutDelivery({
      ctx: instance.ctx,
      store: createPrismaLogoutDeliveryStore(instance.db),
      settings: { ...allowLoopback, ...settings },
    });
  return { ...p, kind, database, clock, receiver, jwks, delivery };
}
type Setup = Awaited<ReturnType<typeof setup>>;

function route(p: { ctx: PrismaProvider["ctx"] }, req: Request): Promise<Response> {
  return routeProtocol(req, p.ctx, new URL(req.url).pathname) ?? Promise.resolve(new Response("not found", { status: 404 }));
}

/** openid-client signs in to `clientId` in the browser whose session is `handle`; returns its tokens. */
async function signIn(s: Setup, handle: string, clientId = "rp") {
  const config = await oidc.discovery(new URL(ISSUER), clientId, undefined, oidc.ClientSecretBasic(SECRET), {
    [oidc.customFetch]: (url, options) =>
      route(s, new Request(url, { method: options.method, headers: options.headers, body: options.body as BodyInit | undefined })),
  });
  const verifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT,
    scope: "openid",
    state: "st",
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
  });
  const res = await route(s, new Request(url, { headers: { cookie: `${Cookies.session}=${handle}` } }));
  expect(res.status).toBe(303);
  const tokens = await oidc.authorizationCodeGrant(config, new URL(res.headers.get("location")!), {
    pkceCodeVerifier: verifier,
    expectedState: "st",
  });
  return { config, tokens };
}

async function verifyLogoutToken(s: Setup, token: string, sid: string): Promise<JWTPayload> {
  expect(decodeProtectedHeader(token)).toMatchObject({ typ: "logout+jwt", alg: "RS256" });
  const { payload } = await jwtVerify(token, s.jwks, {
    issuer: ISSUER,
    audience: "rp",
    typ: "logout+jwt",
    currentDate: new Date(s.clock.now),
    requiredClaims: ["iat", "exp", "jti", "sid", "sub", "events"],
  });
  expect(payload).toMatchObject({ sub: "u-alice", sid, events: { [EVENT]: {} } });
  expect(payload).not.toHaveProperty("nonce");
  expect(payload.exp! - payload.iat!).toBe(120);
  return payload;
}

for (const kind of databaseKinds) {
  describe(`back-channel logout (${kind})`, () => {
    it("advertises both logout channels with session support", async () => {
      const s = await setup(kind);
      const config = await oidc.discovery(new URL(ISSUER), "rp", undefined, oidc.ClientSecretBasic(SECRET), {
        [oidc.customFetch]: (url) => route(s, new Request(url)),
      });
      expect(config.serverMetadata()).toMatchObject({
        backchannel_logout_supported: true,
        backchannel_logout_session_supported: true,
        frontchannel_logout_supported: true,
        frontchannel_logout_session_supported: true,
      });
    });

    it("RP-initiated logout: the ID token's sid is in a signed logout token POSTed to the client, once; clients without a URI get none", async () => {
      const s = await setup(kind);
      const { session, handle } = await startSession(s.ctx, { userId: "u-alice", amr: ["pwd"] });
      const { config, tokens } = await signIn(s, handle);
      await signIn(s, handle, "quiet");
      expect(tokens.claims()!.sid).toBe(session.id);
      expect(session.id).not.toBe(handle);

      const end = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: AFTER, state: "bye" });
      const res = await route(s, new Request(end, { headers: { cookie: `${Cookies.session}=${handle}` } }));
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe(`${AFTER}?state=bye`);
      expect(s.receiver.posts).toEqual([]); // off the request path

      expect(await s.delivery().deliverDue()).toEqual({ delivered: 1, retried: 0, failed: 0, dropped: 0 });
      expect(s.receiver.posts).toHaveLength(1);
      expect(s.receiver.posts[0]!.contentType).toBe("application/x-www-form-urlencoded");
      await verifyLogoutToken(s, s.receiver.tokens()[0]!, session.id);
      expect(await s.delivery().deliverDue()).toEqual({ delivered: 0, retried: 0, failed: 0, dropped: 0 });
      expect(s.receiver.posts).toHaveLength(1);
      expect(await s.db.logoutDelivery.findMany({ select: { clientId: true, delivered: true, attempts: true } })).toEqual([
        { clientId: "rp", delivered: true, attempts: 1 },
      ]);
    });

    it("sign out everywhere, a single revoke, an administrator's revoke and a password reset each notify the session's clients", async () => {
      const s = await setup(kind);
      const account = createPrismaAccountStore(s.db, kind);
      const directory = createPrismaDirectoryStore(s.db, kind);
      const lifecycle = createPrismaLifecycleStore(s.db);
      const at = () => new Date(s.clock.now);
      const signedIn = async () => {
        const started = await startSession(s.ctx, { userId: "u-alice", amr: ["pwd"] });
        await signIn(s, started.handle);
        return started.session.id;
      };
      const current = await signedIn();
      const others = [await signedIn(), await signedIn()];
      expect(await account.revokeOtherSessions("u-alice", current, at())).toBe(2);
      const single = await signedIn();
      expect(await account.revokeSession("u-alice", single, at())).toBe(true);
      const admin = await signedIn();
      expect(await directory.revokeSession(admin, at())).toBe(true);
      expect(await directory.revokeSession(admin, at())).toBe(false); // already ended: nothing more is sent
      const locked = await signedIn();
      expect(await directory.revokeUserSessions("u-alice", at())).toBe(2); // `current` and `locked`
      const reset = await signedIn();
      expect(await lifecycle.revokeAllSessions("u-alice", at())).toBe(1);

      expect(await s.delivery().deliverDue()).toMatchObject({ delivered: 7, retried: 0, failed: 0 });
      const sids = await Promise.all(
        s.receiver.tokens().map(async (t) => (await verifyLogoutToken(s, t, expect.any(String) as never)).sid),
      );
      expect(sids.sort()).toEqual([current, ...others, single, admin, locked, reset].sort());
    });

    it("retries after a 500 with a growing delay, then delivers", async () => {
      const s = await setup(kind);
      const { session, handle } = await startSession(s.ctx, { userId: "u-alice", amr: ["pwd"] });
      await signIn(s, handle);
      await s.ctx.stores.sessions.revokeSession(session.id, new Date(s.clock.now));
      s.receiver.statuses = [500, 503];
      const delivery = s.delivery({ baseDelayMs: 10_000 });
      expect(await delivery.deliverDue()).toMatchObject({ retried: 1 });
      expect(await delivery.deliverDue()).toMatchObject({ retried: 0, delivered: 0 }); // not due yet
      s.clock.advance(10);
      expect(await delivery.deliverDue()).toMatchObject({ retried: 1 });
      s.clock.advance(19);
      expect(await delivery.deliverDue()).toMatchObject({ retried: 0, delivered: 0 }); // the second wait is 20 s
      s.clock.advance(1);
      expect(await delivery.deliverDue()).toMatchObject({ delivered: 1 });
      expect(s.receiver.posts).toHaveLength(3);
      const jtis = await Promise.all(s.receiver.tokens().map(async (t) => (await verifyLogoutToken(s, t, session.id)).jti));
      expect(new Set(jtis).size).toBe(3);
      expect(await s.db.logoutDelivery.findFirst({ select: { attempts: true, delivered: true, lastError: true } })).toEqual({
        attempts: 3,
        delivered: true,
        lastError: null,
      });
    });

    it("gives up after the maximum attempts and audits it", async () => {
      const s = await setup(kind);
      const { session, handle } = await startSession(s.ctx, { userId: "u-alice", amr: ["pwd"] });
      await signIn(s, handle);
      await s.ctx.stores.sessions.revokeSession(session.id, new Date(s.clock.now));
      s.receiver.statuses = [500, 500, 500];
      const delivery = s.delivery({ maxAttempts: 2, baseDelayMs: 1000 });
      expect(await delivery.deliverDue()).toMatchObject({ retried: 1 });
      s.clock.advance(1);
      expect(await delivery.deliverDue()).toMatchObject({ failed: 1 });
      s.clock.advance(3600);
      expect(await delivery.deliverDue()).toEqual({ delivered: 0, retried: 0, failed: 0, dropped: 0 });
      expect(s.receiver.posts).toHaveLength(2);
      const row = await s.db.logoutDelivery.findFirstOrThrow();
      expect(row).toMatchObject({ attempts: 2, delivered: false, lastError: "HTTP 500" });
      expect(row.doneAt).not.toBeNull();
      const audit = await s.db.auditEvent.findMany({ where: { type: "backchannel_logout_failed" } });
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ clientId: "rp", subject: "u-alice" });
    });

    it("two workers on two instances claiming at once deliver each row once", async () => {
      const s = await setup(kind);
      const second = await prismaProvider(s.database.url, s.clock);
      s.database.track(second.db);
      for (let i = 0; i < 4; i++) {
        const { session, handle } = await startSession(s.ctx, { userId: "u-alice", amr: ["pwd"] });
        await signIn(s, handle);
        await s.ctx.stores.sessions.revokeSession(session.id, new Date(s.clock.now));
      }
      const [a, b] = await Promise.all([s.delivery().deliverDue(), s.delivery({}, second).deliverDue()]);
      expect(a.delivered + b.delivered).toBe(4);
      expect(s.receiver.posts).toHaveLength(4);
      const sids = await Promise.all(s.receiver.tokens().map(async (t) => (await jwtVerify(t, s.jwks)).payload.sid));
      expect(new Set(sids).size).toBe(4);
    });

    it("refuses the client's loopback URI by default (the SSRF guard), retrying as a failure", async () => {
      const s = await setup(kind);
      const { session, handle } = await startSession(s.ctx, { userId: "u-alice", amr: ["pwd"] });
      await signIn(s, handle);
      await s.ctx.stores.sessions.revokeSession(session.id, new Date(s.clock.now));
      expect(await s.delivery({ allowPrivate: false }).deliverDue()).toMatchObject({ retried: 1 });
      expect(s.receiver.posts).toEqual([]);
      expect((await s.db.logoutDelivery.findFirstOrThrow()).lastError).toBe("http: is not allowed (https only)");
    });
  });

  describe(`front-channel logout (${kind})`, () => {
    it("after RP-initiated logout, a page loads the client's frontchannel_logout_uri with iss and sid, then continues", async () => {
      const s = await setup(kind, { frontchannel: true });
      const { session, handle } = await startSession(s.ctx, { userId: "u-alice", amr: ["pwd"] });
      const { config, tokens } = await signIn(s, handle);
      await signIn(s, handle, "quiet");
      const end = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: AFTER, state: "bye" });
      const res = await route(s, new Request(end, { headers: { cookie: `${Cookies.session}=${handle}` } }));
      expect(res.status).toBe(303);
      expect(res.headers.get("set-cookie")).toMatch(new RegExp(`^${Cookies.session}=;`));
      const page = new URL(res.headers.get("location")!);
      expect(page.pathname).toBe("/connect/endsession/frontchannel");

      const shown = await route(s, new Request(page));
      expect(shown.status).toBe(200);
      expect(shown.headers.get("content-type")).toBe("text/html;charset=utf-8");
      const csp = shown.headers.get("content-security-policy")!;
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("frame-src https://rp.example;");
      expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/]+=*'/);
      expect(csp).toContain("frame-ancestors 'none'");
      const html = await shown.text();
      const frames = [...html.matchAll(/<iframe src="([^"]+)"/g)].map((m) => new URL(m[1]!.replaceAll("&amp;", "&")));
      expect(frames).toHaveLength(1);
      expect(frames[0]!.origin + frames[0]!.pathname).toBe("https://rp.example/frontchannel");
      expect(Object.fromEntries(frames[0]!.searchParams)).toEqual({ x: "1", iss: ISSUER, sid: session.id });
      expect(html).toContain(`<a id="next" href="${AFTER}?state=bye">`);

      // The page is used once; a second visit goes to the signed-out page.
      const again = await route(s, new Request(page));
      expect(again.status).toBe(303);
      expect(again.headers.get("location")).toBe(`${ISSUER}/signed-out`);
    });

    it("the account page's sign-out goes through the same page, then to the signed-out page", async () => {
      const s = await setup(kind, { frontchannel: true });
      const { session, handle } = await startSession(s.ctx, { userId: "u-alice", amr: ["pwd"] });
      await signIn(s, handle);
      const next = new URL(await signOut(s.ctx, handle));
      expect(next.pathname).toBe("/connect/endsession/frontchannel");
      const html = await (await route(s, new Request(next))).text();
      expect(html).toContain(`sid=${session.id}`);
      expect(html).toContain(`<a id="next" href="${ISSUER}/signed-out">`);
      expect(await s.delivery().deliverDue()).toMatchObject({ delivered: 1 });
      await verifyLogoutToken(s, s.receiver.tokens()[0]!, session.id);
    });

    it("goes straight on when no client of the session has a front-channel URI", async () => {
      const s = await setup(kind, { frontchannel: true });
      const { handle } = await startSession(s.ctx, { userId: "u-alice", amr: ["pwd"] });
      const { config, tokens } = await signIn(s, handle, "quiet");
      const end = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token! });
      const res = await route(s, new Request(end, { headers: { cookie: `${Cookies.session}=${handle}` } }));
      expect(res.headers.get("location")).toBe(`${ISSUER}/signed-out`);
    });
  });
}
