/**
 * Linking another login from the account page, in-process against a real upstream
 * (node-oidc-provider on loopback): the link goes to the user of the session that started it,
 * only in that session; one link per provider per user; an identity of someone else, a disabled
 * provider, a forged form and the callback's errors write nothing; and the rate limit of the
 * handshake routes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Cookies, RATE_LIMIT_RULES, startSession, type RateLimitRule } from "@/lib/oidc";
import { formToken } from "@/lib/auth/csrf";
import { LINK_FORM_PURPOSE, externalLinkUrl, externalSignInUrl } from "@/lib/auth/external";
import { FLOW_COOKIE } from "@/lib/auth/external/flow";
import { createExternalSignIn } from "@/lib/auth/external/service";
import { callbackUrl } from "@/lib/auth/external/settings";
import { createRateLimiter } from "@/lib/server/rate-limit";
import { databaseKinds } from "../../helpers/databases";
import { Browser } from "./browser";
import { ISSUER, SERVER_SECRET, providerData, startPortcullis, type TestPortcullis } from "./setup";
import { LOGIN_PATH, startUpstream, type Upstream } from "./upstream";

const SECRET = "upstream-client-secret-0123456789";
const CSRF_COOKIE = "link-test-csrf-cookie-".padEnd(48, "c");
const LINK_URL = `${ISSUER}${externalLinkUrl()}`;
const ACCOUNTS = {
  alice: { email: "alice@acme.test", email_verified: true, name: "Alice Upstream", preferred_username: "alice.up" },
  carol: { email: "carol@acme.test", email_verified: true, name: "Carol Upstream" },
  dave: { email: "dave@acme.test", email_verified: true, name: "Dave Upstream" },
};
let up: Upstream;

beforeAll(async () => {
  up = await startUpstream({
    clients: [
      {
        client_id: "portcullis",
        client_secret: SECRET,
        redirect_uris: ["acme", "beta", "down"].map((id) => callbackUrl(ISSUER, id)),
      },
    ],
    accounts: ACCOUNTS,
  });
});
afterAll(() => up?.close());

const atUpstreamLogin = (u: URL) => u.pathname.startsWith(LOGIN_PATH);
const atAccount = (u: URL) => u.origin === ISSUER && (u.pathname === "/account/links" || u.pathname === "/interaction/login");

for (const kind of databaseKinds) {
  describe(`linking a login from the account page (${kind})`, () => {
    let p: TestPortcullis;
    let n = 0;
    beforeAll(async () => {
      p = await startPortcullis(kind);
      await p.store.createProvider(providerData({ id: "acme", issuer: up.issuer, clientSecret: SECRET }));
      await p.store.createProvider(providerData({ id: "beta", issuer: up.issuer, clientSecret: SECRET }));
    });
    afterAll(async () => {
      await p?.close();
    });

    /** A password user signed in in a fresh browser (session and CSRF cookies). */
    async function signedIn() {
      const username = `local-${++n}`;
      const user = await p.db.user.create({
        data: {
          username,
          email: `${username}@local.test`,
          emailVerified: true,
          passwordHash: "scrypt$x",
          claims: { name: "Local Name" },
          roles: [],
        },
      });
      const { session, handle } = await startSession(p.ctx, { userId: user.id, amr: ["pwd"] });
      const browser = new Browser({ origin: ISSUER, handle: p.handle });
      browser.setCookie(ISSUER, Cookies.session, handle);
      browser.setCookie(ISSUER, Cookies.csrf, CSRF_COOKIE);
      return { user, session, browser };
    }

    const linkForm = async (provider: string) => ({ csrf: await formToken(p.ctx, CSRF_COOKIE, LINK_FORM_PURPOSE), provider });

    /** POST link -> the upstream's login page. */
    async function toUpstream(browser: Browser, provider = "acme"): Promise<URL> {
      const res = await browser.post(LINK_URL, await linkForm(provider));
      expect(res.status).toBe(303);
      const reached = await browser.follow(res.headers.get("location")!, atUpstreamLogin);
      expect(atUpstreamLogin(reached.url)).toBe(true);
      return reached.url;
    }

    /** Signs in upstream as `account` (or cancels) and comes back; the URL Portcullis ends on. */
    async function fromUpstream(browser: Browser, login: URL, query: string): Promise<URL> {
      return (await browser.follow(`${login.href}?${query}`, atAccount)).url;
    }

    const linkCount = () => p.db.externalLogin.count();
    const eventsOf = async (userId: string) =>
      (await p.db.auditEvent.findMany({ where: { subject: userId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })).map((e) => ({
        type: e.type,
        details: e.details,
      }));

    it("links the upstream identity to the signed-in user and changes nothing else of the user", async () => {
      const { user, browser } = await signedIn();
      const login = await toUpstream(browser);
      expect(browser.cookie(FLOW_COOKIE)).toBeDefined();
      const end = await fromUpstream(browser, login, "account=alice");
      expect(end.href).toBe(`${ISSUER}/account/links?notice=linked`);
      expect(browser.cookie(FLOW_COOKIE)).toBeUndefined();

      const found = await p.store.findLink("acme", "alice");
      expect(found).toMatchObject({
        link: { userId: user.id, displayName: "Alice Upstream", email: "alice@acme.test", lastUsedAt: null },
        user: { id: user.id, username: user.username, email: user.email },
      });
      const after = await p.db.user.findUniqueOrThrow({ where: { id: user.id } });
      expect({ email: after.email, claims: after.claims, username: after.username }).toEqual({
        email: user.email,
        claims: { name: "Local Name" },
        username: user.username,
      });
      expect(await eventsOf(user.id)).toEqual([
        {
          type: "external_linked",
          details: { provider: "acme", upstreamSubject: "alice", linkId: found!.link.id, from: "account_links" },
        },
      ]);
      // no session was started by the link: the user's only session is the password one
      expect(await p.db.session.count({ where: { userId: user.id } })).toBe(1);
    });

    it("refuses an upstream identity linked to another user and writes nothing", async () => {
      const other = await signedIn();
      await p.store.link(other.user.id, { providerId: "acme", subject: "carol", displayName: null, email: null }, new Date());
      const { user, browser } = await signedIn();
      const links = await linkCount();
      const end = await fromUpstream(browser, await toUpstream(browser), "account=carol");
      expect(end.href).toBe(`${ISSUER}/account/links?link_error=identity_taken`);
      expect(await linkCount()).toBe(links);
      expect((await p.store.findLink("acme", "carol"))!.user.id).toBe(other.user.id);
      expect(await eventsOf(user.id)).toEqual([
        {
          type: "external_link_refused",
          details: { provider: "acme", upstreamSubject: "carol", reason: "identity_taken", from: "account_links" },
        },
      ]);
    });

    it("keeps one link per provider: a second login at the same provider is refused before the upstream", async () => {
      const { user, browser } = await signedIn();
      await p.store.link(user.id, { providerId: "acme", subject: `own-${n}`, displayName: null, email: null }, new Date());
      const tokens = up.tokenRequests();
      const res = await browser.post(LINK_URL, await linkForm("acme"));
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe(`${ISSUER}/account/links?link_error=provider_linked`);
      expect(up.tokenRequests()).toBe(tokens);
      expect(await p.store.listLinks(user.id)).toHaveLength(1);
      // another provider can still be linked
      const end = await fromUpstream(browser, await toUpstream(browser, "beta"), "account=dave");
      expect(end.href).toBe(`${ISSUER}/account/links?notice=linked`);
      expect((await p.store.listLinks(user.id)).map((l) => l.providerId).sort()).toEqual(["acme", "beta"]);
      await p.store.unlink(user.id, (await p.store.findLink("beta", "dave"))!.link.id);
    });

    it("refuses a callback in another browser, after the session ended, or in another session, before any token request", async () => {
      const links = await linkCount();

      // another browser (no flow cookie): refused
      const a = await signedIn();
      const loginA = await toUpstream(a.browser);
      const atCallback = (u: URL) => u.origin === ISSUER && u.pathname.startsWith("/interaction/external/callback/");
      const callbackA = (await a.browser.follow(`${loginA.href}?account=dave`, atCallback)).url;
      const stranger = new Browser({ origin: ISSUER, handle: p.handle });
      stranger.setCookie(ISSUER, Cookies.session, (await startSession(p.ctx, { userId: a.user.id, amr: ["pwd"] })).handle);
      const strangerRes = await stranger.get(callbackA);
      expect(strangerRes.headers.get("location")).toBe(`${ISSUER}/interaction/login?external_error=bad_state`);

      // the session that started it has ended (signed out) by the callback
      const b = await signedIn();
      const loginB = await toUpstream(b.browser);
      await p.ctx.stores.sessions.revokeSession(b.session.id, new Date());
      const tokens = up.tokenRequests();
      expect((await fromUpstream(b.browser, loginB, "account=dave")).href).toBe(`${ISSUER}/account/links?link_error=session_changed`);
      expect(up.tokenRequests()).toBe(tokens);

      // the same browser, now in another session (signed out and in again, here as another user)
      const c = await signedIn();
      const loginC = await toUpstream(c.browser);
      const d = await signedIn();
      c.browser.setCookie(ISSUER, Cookies.session, d.browser.cookie(Cookies.session)!);
      expect((await fromUpstream(c.browser, loginC, "account=dave")).href).toBe(`${ISSUER}/account/links?link_error=session_changed`);
      // ... or as the same user in a new session
      const e = await signedIn();
      const loginE = await toUpstream(e.browser);
      const again = await startSession(p.ctx, { userId: e.user.id, amr: ["pwd"] });
      e.browser.setCookie(ISSUER, Cookies.session, again.handle);
      expect((await fromUpstream(e.browser, loginE, "account=dave")).href).toBe(`${ISSUER}/account/links?link_error=session_changed`);

      expect(up.tokenRequests()).toBe(tokens);
      expect(await linkCount()).toBe(links);
      expect(await p.store.findLink("acme", "dave")).toBeNull();
    });

    it("refuses a disabled provider, at the start and at the callback", async () => {
      const { id: _i, clientSecret: _s, ...rest } = providerData({ id: "acme", issuer: up.issuer });
      const { browser } = await signedIn();
      const links = await linkCount();
      const login = await toUpstream(browser);
      await p.store.updateProvider("acme", { ...rest, enabled: false });
      try {
        expect((await fromUpstream(browser, login, "account=dave")).href).toBe(`${ISSUER}/account/links?link_error=provider_unavailable`);
        const res = await browser.post(LINK_URL, await linkForm("acme"));
        expect(res.headers.get("location")).toBe(`${ISSUER}/account/links?link_error=provider_unavailable`);
        const unknown = await browser.post(LINK_URL, await linkForm("nobody"));
        expect(unknown.headers.get("location")).toBe(`${ISSUER}/account/links?link_error=provider_unavailable`);
      } finally {
        await p.store.updateProvider("acme", { ...rest, enabled: true });
      }
      expect(await linkCount()).toBe(links);
    });

    it("starts only from a POST with the form's CSRF token, and only for a signed-in user", async () => {
      const { browser } = await signedIn();
      for (const csrf of ["", "forged", await formToken(p.ctx, CSRF_COOKIE, "sessions:account")]) {
        const res = await browser.post(LINK_URL, { csrf, provider: "acme" });
        expect(res.status).toBe(303);
        expect(res.headers.get("location")).toBe(`${ISSUER}/account/links?notice=expired_form`);
        expect(res.headers.get("set-cookie") ?? "").not.toContain(FLOW_COOKIE);
      }
      expect(await p.service.handle(new Request(`${LINK_URL}?provider=acme`))).toBeNull();
      const anonymous = new Browser({ origin: ISSUER, handle: p.handle });
      anonymous.setCookie(ISSUER, Cookies.csrf, CSRF_COOKIE);
      const res = await anonymous.post(LINK_URL, await linkForm("acme"));
      expect(res.headers.get("location")).toBe(`${ISSUER}/account/links?link_error=session_changed`);
    });

    it("asks for a recent sign-in first: an older one goes to re-authentication, back to the links page, and starts nothing", async () => {
      const { session, browser } = await signedIn();
      await p.db.session.update({ where: { id: session.id }, data: { authTime: new Date(Date.now() - 10 * 60_000) } });
      const res = await browser.post(LINK_URL, await linkForm("acme"));
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe(`${ISSUER}/account/reauth?${new URLSearchParams({ next: "/account/links" })}`);
      expect(res.headers.get("set-cookie") ?? "").not.toContain(FLOW_COOKIE);
    });

    it("brings the callback's errors back to the account page and writes nothing: cancel, tampered state, upstream down", async () => {
      const links = await linkCount();
      const cancel = await signedIn();
      expect((await fromUpstream(cancel.browser, await toUpstream(cancel.browser), "cancel=1")).href).toBe(
        `${ISSUER}/account/links?link_error=cancelled`,
      );

      const tamper = await signedIn();
      await toUpstream(tamper.browser);
      const res = await tamper.browser.get(`${ISSUER}/interaction/external/callback/acme?code=x&state=tampered&iss=${up.issuer}`);
      expect(res.headers.get("location")).toBe(`${ISSUER}/account/links?link_error=bad_state`);

      const forged = await signedIn();
      const loginF = await toUpstream(forged.browser);
      const flow = forged.browser.cookies.find((c) => c.name === FLOW_COOKIE)!;
      flow.value = flow.value.replace(/.$/, (c) => (c === "A" ? "B" : "A"));
      expect((await fromUpstream(forged.browser, loginF, "account=dave")).href).toBe(`${ISSUER}/account/links?link_error=bad_state`);

      await p.store.createProvider(providerData({ id: "down", issuer: "http://127.0.0.1:1" }));
      const down = await signedIn();
      const started = await down.browser.post(LINK_URL, await linkForm("down"));
      expect(started.headers.get("location")).toBe(`${ISSUER}/account/links?link_error=upstream_unavailable`);
      await p.store.deleteProvider("down");

      expect(await linkCount()).toBe(links);
    });
  });
}

describe("rate limit of the external sign-in routes", () => {
  let p: TestPortcullis;
  beforeAll(async () => {
    p = await startPortcullis("sqlite");
    await p.store.createProvider(providerData({ id: "acme", issuer: up.issuer, clientSecret: SECRET }));
  });
  afterAll(async () => {
    await p?.close();
  });

  it("answers 429 with Retry-After and a plain page once an address used up its start, link and callback requests", async () => {
    const off = Object.fromEntries(RATE_LIMIT_RULES.map((r) => [r, 0])) as Record<RateLimitRule, number>;
    // a long window: the test never depends on how fast the machine is
    const limits = createRateLimiter({ window: 3600, perWindow: { ...off, "external.ip": 3 } }, { store: "memory", log: p.ctx.log });
    const service = await createExternalSignIn({
      ctx: { ...p.ctx, limits },
      store: p.store,
      secret: SERVER_SECRET,
      timeoutMs: 5000,
      maxBytes: 1_048_576,
      cacheTtlMs: 0,
    });
    const interaction = await p.interaction();
    const start = (ip: string) =>
      service.handle(new Request(`${ISSUER}${externalSignInUrl("acme", interaction)}`, { headers: { "x-forwarded-for": ip } }));
    const mine = "203.0.113.7";

    for (let i = 0; i < 3; i++) expect((await start(mine))!.status).toBe(303);
    const refused = (await start(mine))!;
    expect(refused.status).toBe(429);
    const wait = Number(refused.headers.get("retry-after"));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(3600);
    expect(refused.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const page = await refused.text();
    expect(page).toContain("<h1>Too many sign-in attempts</h1>");
    expect(page).toContain(`href="${ISSUER}/interaction/login?interaction=${interaction}"`);

    // the link form and the callback count under the same limit; another address does not
    const link = await service.handle(
      new Request(`${ISSUER}${externalLinkUrl()}`, {
        method: "POST",
        headers: { "x-forwarded-for": mine, "content-type": "application/x-www-form-urlencoded" },
        body: "provider=acme&csrf=x",
      }),
    );
    expect(link!.status).toBe(429);
    expect(await link!.text()).toContain(`href="${ISSUER}/account/links"`);
    const callback = await service.handle(
      new Request(`${ISSUER}/interaction/external/callback/acme?code=x&state=y`, { headers: { "x-forwarded-for": mine } }),
    );
    expect(callback!.status).toBe(429);
    expect(callback!.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await start("198.51.100.20"))!.status).toBe(303);
    // the refused requests reached nothing: no failure was audited for them
    expect(await p.db.auditEvent.count({ where: { type: "external_login_failed" } })).toBe(0);
  });
});
