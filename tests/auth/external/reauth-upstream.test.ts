/**
 * Re-authentication through an upstream (/account/reauth, "Continue with ..."): it must prove the
 * person again, not merely that the browser still holds a session at the upstream. Whoever sits
 * at a browser with a stale Portcullis session usually also finds the user's upstream session
 * there, so an upstream that answers silently must not count as a re-authentication.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { Cookies, saveInteraction } from "@/lib/oidc";
import { externalSignInUrl } from "@/lib/auth/external";
import { callbackUrl } from "@/lib/auth/external/settings";
import { Browser } from "./browser";
import { ISSUER, RP_REDIRECT, providerData, startPortcullis, type TestPortcullis } from "./setup";
import { LOGIN_PATH, startUpstream, type Upstream } from "./upstream";

const SECRET = "upstream-client-secret-0123456789";
let up: Upstream;
let p: TestPortcullis;

beforeAll(async () => {
  up = await startUpstream({
    clients: [{ client_id: "portcullis", client_secret: SECRET, redirect_uris: [callbackUrl(ISSUER, "acme")] }],
    accounts: { frank: { email: "frank@corp.test", email_verified: true, name: "Frank Corp" } },
  });
  p = await startPortcullis("sqlite", { reauth: true });
  await p.store.createProvider(providerData({ id: "acme", issuer: up.issuer, clientSecret: SECRET }));
});
afterAll(async () => {
  await p?.close();
  await up?.close();
});

const atUpstreamLogin = (u: URL) => u.pathname.startsWith(LOGIN_PATH);

// Found by the security review: the upstream answered silently and the stale session was
// re-authenticated without anything typed. Now a re-authentication asks the upstream for
// max_age=0 and prompt=login, and refuses an ID token whose auth_time is older than the flow.
it("an upstream that answers from its own old session does not re-authenticate a stale session", async () => {
  // Frank signs in through the upstream (a new account, no password): both sessions exist now.
  const browser = new Browser({ origin: ISSUER, handle: p.handle });
  const login = await browser.follow(`${ISSUER}${externalSignInUrl("acme", await p.interaction())}`, atUpstreamLogin);
  expect(atUpstreamLogin(login.url)).toBe(true);
  const signedIn = await browser.follow(`${login.url.href}?account=frank`, (u) => u.href.startsWith(RP_REDIRECT));
  expect(signedIn.url.href.startsWith(RP_REDIRECT)).toBe(true);
  const session = (await p.db.session.findFirstOrThrow({ where: { revokedAt: null }, orderBy: { authTime: "desc" } }))!;
  expect(browser.cookie(Cookies.session)).toBeDefined();

  // An hour later Frank has walked away; someone else at this browser presses "Continue with acme"
  // on /account/reauth (the form's action makes this interaction and sends the browser here).
  const stale = new Date(Date.now() - 60 * 60 * 1000);
  await p.db.session.update({ where: { id: session.id }, data: { authTime: stale } });
  const interaction = await saveInteraction(p.ctx, { type: "account", next: "/account/security", createdAt: Date.now() });
  const end = await browser.follow(
    `${ISSUER}${externalSignInUrl("acme", interaction)}`,
    (u) => atUpstreamLogin(u) || (u.origin === ISSUER && u.pathname.startsWith("/account")),
  );

  // The upstream must be made to ask for a fresh sign-in (and its answer checked), so nobody gets
  // back here confirmed without typing anything.
  expect(end.url.href).not.toBe(`${ISSUER}/account/security?notice=reauthenticated`);
  expect((await p.db.session.findUniqueOrThrow({ where: { id: session.id } })).authTime).toEqual(stale);
});

it("records the client address an upstream re-authentication came from as every other step does (the last hop)", async () => {
  // The client sent the first X-Forwarded-For entry; the proxy appended the last one.
  const viaProxy = (req: Request) => {
    const headers = new Headers(req.headers);
    headers.set("x-forwarded-for", "198.51.100.66, 203.0.113.7");
    return p.handle(new Request(req, { headers }));
  };
  const browser = new Browser({ origin: ISSUER, handle: viaProxy });
  const login = await browser.follow(`${ISSUER}${externalSignInUrl("acme", await p.interaction())}`, atUpstreamLogin);
  await browser.follow(`${login.url.href}?account=frank`, (u) => u.href.startsWith(RP_REDIRECT));
  const interaction = await saveInteraction(p.ctx, { type: "account", next: "/account", createdAt: Date.now() });
  const atAccount = (u: URL) => u.origin === ISSUER && u.pathname === "/account";
  let end = await browser.follow(`${ISSUER}${externalSignInUrl("acme", interaction)}`, (u) => atUpstreamLogin(u) || atAccount(u));
  // (once the upstream is made to ask again, Frank signs in there)
  if (atUpstreamLogin(end.url)) end = await browser.follow(`${end.url.href}?account=frank`, atAccount);
  expect(end.url.href).toBe(`${ISSUER}/account?notice=reauthenticated`);
  const event = await p.db.auditEvent.findFirstOrThrow({ where: { type: "reauthenticated" }, orderBy: { createdAt: "desc" } });
  expect(event.ipAddress).toBe("203.0.113.7");
});

it("refuses an upstream ID token whose auth_time is older than the re-authentication, and changes nothing", async () => {
  // Our clock runs ten minutes ahead of the upstream's: whatever it answers is from before the flow began.
  const q = await startPortcullis("sqlite", { reauth: true, clock: true });
  try {
    await q.store.createProvider(providerData({ id: "acme", issuer: up.issuer, clientSecret: SECRET }));
    const browser = new Browser({ origin: ISSUER, handle: q.handle });
    const login = await browser.follow(`${ISSUER}${externalSignInUrl("acme", await q.interaction())}`, atUpstreamLogin);
    await browser.follow(`${login.url.href}?account=frank`, (u) => u.href.startsWith(RP_REDIRECT));
    const session = await q.db.session.findFirstOrThrow({ where: { revokedAt: null } });
    q.clock.now += 10 * 60_000;
    const interaction = await saveInteraction(q.ctx, { type: "account", next: "/account/security", createdAt: q.clock.now });
    const atReauth = (u: URL) => u.origin === ISSUER && u.pathname.startsWith("/account");
    let end = await browser.follow(`${ISSUER}${externalSignInUrl("acme", interaction)}`, (u) => atUpstreamLogin(u) || atReauth(u));
    if (atUpstreamLogin(end.url)) end = await browser.follow(`${end.url.href}?account=frank`, atReauth);
    expect(end.url.pathname).toBe("/account/reauth");
    expect(end.url.searchParams.get("external_error")).toBe("not_fresh");
    expect((await q.db.session.findUniqueOrThrow({ where: { id: session.id } })).authTime).toEqual(session.authTime);
  } finally {
    await q.close();
  }
});
