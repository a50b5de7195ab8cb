/**
 * Sign-in through external identity providers on the built server, with two real upstreams on
 * loopback (node-oidc-provider): one as an OpenID provider (`oidc`, discovery), one through the
 * `oauth2` kind (explicit endpoints and userinfo). A test browser (fetch and a cookie jar) drives
 * the whole way: the authorization request, the upstream login, the callback, the tokens.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeJwt } from "jose";
import { createDb, type Db } from "@/lib/db";
import { SecretBox, base64url } from "@/lib/oidc/crypto";
import { createPrismaIdentityProviderStore } from "@/lib/stores/prisma/identity-providers";
import type { IdentityProviderStore } from "@/lib/auth/external/ports";
import { externalSignInUrl } from "@/lib/auth/external";
import { callbackUrl } from "@/lib/auth/external/settings";
import { createTestDatabase, type TestDatabase } from "../helpers/databases";
import { eventually, startServer, type RunningServer } from "../helpers/server";
import { Browser } from "../auth/external/browser";
import { providerData } from "../auth/external/setup";
import { LOGIN_PATH, startUpstream, type Upstream } from "../auth/external/upstream";

const RP_REDIRECT = "https://rp.example/cb";
const RP_SECRET = "rp-secret-".padEnd(40, "r");
const UPSTREAM_SECRET = "upstream-client-secret-0123456789";
const VERIFIER = "integration-verifier-".padEnd(50, "v");
const ACCOUNTS = {
  alice: { email: "alice@acme.test", email_verified: true, name: "Alice Liddell", preferred_username: "alice" },
  bob: { email: "bob@beta.test", email_verified: true, name: "Bob Builder", preferred_username: "bob" },
  ...Object.fromEntries(["carol", "dave", "erin", "frank"].map((n) => [n, { email: `${n}@acme.test`, email_verified: true, name: n }])),
};

let database: TestDatabase;
let server: RunningServer;
let acme: Upstream;
let beta: Upstream;
let db: Db;
let store: IdentityProviderStore;

beforeAll(async () => {
  database = await createTestDatabase("sqlite");
  server = await startServer({
    databaseUrl: database.url,
    config: {
      clients: [
        {
          client_id: "rp",
          client_name: "RP",
          client_secret: RP_SECRET,
          grant_types: ["authorization_code"],
          redirect_uris: [RP_REDIRECT],
          scope: "openid profile email",
          portcullis: { kind: "web", require_consent: false },
        },
      ],
    },
  });
  const client = (id: string) => ({
    client_id: "portcullis",
    client_secret: UPSTREAM_SECRET,
    redirect_uris: [callbackUrl(server.issuer, id)],
  });
  acme = await startUpstream({ clients: [client("acme")], accounts: ACCOUNTS });
  beta = await startUpstream({ clients: [client("beta")], accounts: ACCOUNTS });
  db = createDb(database.url);
  store = createPrismaIdentityProviderStore(db, "sqlite", await SecretBox.fromSecret(server.env.PORTCULLIS_SECRET!, "upstream-secrets"));
  await store.createProvider(
    providerData({ id: "acme", displayName: "Acme SSO", type: "oidc", issuer: acme.issuer, clientSecret: UPSTREAM_SECRET }),
  );
  await store.createProvider(
    providerData({
      id: "beta",
      displayName: "Beta OAuth",
      type: "oauth2",
      issuer: beta.issuer,
      clientSecret: UPSTREAM_SECRET,
      authorizationEndpoint: `${beta.issuer}/auth`,
      tokenEndpoint: `${beta.issuer}/token`,
      userinfoEndpoint: `${beta.issuer}/me`,
      scope: "openid email profile",
    }),
  );
}, 60_000);

afterAll(async () => {
  await acme?.close();
  await beta?.close();
  await db?.$disconnect();
  await server?.stop();
  await database?.drop();
});

async function authorizationRequest(browser: Browser): Promise<string> {
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(VERIFIER))));
  const q = new URLSearchParams({
    client_id: "rp",
    response_type: "code",
    redirect_uri: RP_REDIRECT,
    scope: "openid profile email",
    state: "rp-state",
    nonce: "rp-nonce",
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  const { url } = await browser.follow(`${server.issuer}/connect/authorize?${q}`, (u) => u.pathname === "/interaction/login");
  return url.searchParams.get("interaction")!;
}

const atUpstreamLogin = (u: URL) => u.pathname.startsWith(LOGIN_PATH) || u.pathname === "/interaction/login";
const atCallback = (u: URL) => u.pathname.startsWith("/interaction/external/callback/") || u.pathname === "/interaction/login";
const finished = (u: URL) => u.href.startsWith(RP_REDIRECT) || u.pathname === "/interaction/login";

/** The interaction, the browser at the upstream's login page. */
async function startAt(provider: string, browser = new Browser()) {
  const interaction = await authorizationRequest(browser);
  const at = await browser.follow(server.issuer + externalSignInUrl(provider, interaction), atUpstreamLogin);
  return { browser, interaction, login: at.url };
}

const loginError = (interaction: string, code: string) =>
  `${server.issuer}/interaction/login?interaction=${interaction}&external_error=${code}`;
const counts = async () => ({ users: await db.user.count(), links: await db.externalLogin.count() });
const lastFailure = async () =>
  (await db.auditEvent.findFirstOrThrow({ where: { type: "external_login_failed" }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }))
    .details;

describe("external sign-in on the built server", () => {
  it("oidc: start, upstream login, callback, identity captured, user created, tokens issued", async () => {
    const { browser, login } = await startAt("acme");
    expect(login.origin).toBe(acme.issuer);
    const end = await browser.follow(`${login}?account=alice&amr=pwd,otp`, finished);
    expect(end.url.origin + end.url.pathname).toBe(RP_REDIRECT);
    const code = end.url.searchParams.get("code")!;

    const res = await fetch(`${server.issuer}/connect/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: "Basic " + Buffer.from(`rp:${RP_SECRET}`).toString("base64"),
      },
      body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: RP_REDIRECT, code_verifier: VERIFIER }),
    });
    expect(res.status).toBe(200);
    const idToken = decodeJwt(((await res.json()) as { id_token: string }).id_token);
    const link = await db.externalLogin.findUniqueOrThrow({
      where: { provider_providerAccountId: { provider: "acme", providerAccountId: "alice" } },
      include: { user: true },
    });
    expect(link.user).toMatchObject({
      username: "alice",
      email: "alice@acme.test",
      emailVerified: true,
      passwordHash: null,
      claims: { name: "Alice Liddell" },
    });
    expect(idToken).toMatchObject({ sub: link.userId, amr: ["pwd", "otp"], nonce: "rp-nonce" });
  });

  it("oauth2: explicit endpoints and userinfo", async () => {
    const { browser, login } = await startAt("beta");
    expect(login.origin).toBe(beta.issuer);
    const end = await browser.follow(`${login}?account=bob`, finished);
    expect(end.url.origin + end.url.pathname).toBe(RP_REDIRECT);
    const link = await db.externalLogin.findUniqueOrThrow({
      where: { provider_providerAccountId: { provider: "beta", providerAccountId: "bob" } },
      include: { user: { include: { sessions: true } } },
    });
    expect(link.user).toMatchObject({ username: "bob", email: "bob@beta.test", claims: { name: "Bob Builder" } });
    expect(link.user.sessions.map((s) => s.amr)).toEqual([["fed"]]);
  });

  it("refuses a tampered state and writes nothing", async () => {
    const before = await counts();
    const { browser, interaction, login } = await startAt("acme");
    const at = await browser.follow(`${login}?account=carol`, atCallback);
    const state = at.url.searchParams.get("state")!;
    at.url.searchParams.set("state", state.slice(0, -2) + (state.endsWith("AA") ? "BB" : "AA"));
    const res = await browser.get(at.url);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(loginError(interaction, "bad_state"));
    expect(await lastFailure()).toEqual({ provider: "acme", reason: "bad_state", detail: 'unexpected "state" response parameter value' });
    expect(await counts()).toEqual(before);
  });

  it("refuses a callback for another provider than the one the flow started with (mix-up)", async () => {
    const before = await counts();
    const acmeTokens = acme.tokenRequests();
    const { browser, interaction, login } = await startAt("beta");
    const at = await browser.follow(`${login}?account=dave`, atCallback);
    expect(at.url.pathname).toBe("/interaction/external/callback/beta");
    const res = await browser.get(`${server.issuer}/interaction/external/callback/acme${at.url.search}`);
    expect(res.headers.get("location")).toBe(loginError(interaction, "bad_state"));
    expect(acme.tokenRequests()).toBe(acmeTokens);
    expect(await lastFailure()).toEqual({
      provider: "acme",
      reason: "bad_state",
      detail: "callback for acme in a flow started for beta (mix-up)",
    });
    expect(await counts()).toEqual(before);
  });

  it("brings the person back when they cancel at the upstream", async () => {
    const before = await counts();
    const { browser, interaction, login } = await startAt("acme");
    const end = await browser.follow(`${login}?cancel=1`, finished);
    expect(end.url.href).toBe(loginError(interaction, "cancelled"));
    expect(await lastFailure()).toEqual({
      provider: "acme",
      reason: "cancelled",
      detail: "OAuth Provider returned an error: access_denied (End-User cancelled the sign-in)",
    });
    expect(await counts()).toEqual(before);
  });

  it("refuses an upstream ID token with another nonce than the one this browser sent", async () => {
    const before = await counts();
    const browser = new Browser();
    const interaction = await authorizationRequest(browser);
    const authorize = await browser.follow(server.issuer + externalSignInUrl("acme", interaction), (u) => u.origin === acme.issuer);
    expect(authorize.url.searchParams.get("nonce")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The upstream is asked for a code bound to another nonce (as with a code injected from another flow).
    authorize.url.searchParams.set("nonce", "a-nonce-of-another-flow");
    const login = await browser.follow(authorize.url, atUpstreamLogin);
    const end = await browser.follow(`${login.url}?account=erin`, finished);
    expect(end.url.href).toBe(loginError(interaction, "token_rejected"));
    expect(await lastFailure()).toEqual({ provider: "acme", reason: "token_rejected", detail: 'unexpected ID Token "nonce" claim value' });
    expect(await counts()).toEqual(before);
  });

  it("offers nothing through a disabled provider, at the start and at the callback", async () => {
    const pending = await startAt("acme");
    const { id: _i, clientSecret: _s, ...rest } = providerData({ id: "acme", displayName: "Acme SSO", issuer: acme.issuer });
    await store.updateProvider("acme", { ...rest, enabled: false });
    let interaction = "";
    // Every instance sees the change within its cache check (about a second): wait for this one.
    await eventually(async () => {
      interaction = await authorizationRequest(new Browser());
      const res = await fetch(server.issuer + externalSignInUrl("acme", interaction), { redirect: "manual" });
      return res.headers.get("location") === loginError(interaction, "provider_unavailable");
    });
    const before = await counts();
    const end = await pending.browser.follow(`${pending.login}?account=frank`, finished);
    expect(end.url.href).toBe(loginError(pending.interaction, "provider_unavailable"));
    expect(await counts()).toEqual(before);
    await store.updateProvider("acme", { ...rest, enabled: true });
  });

  it("answers 404 for Auth.js's own routes and for unknown paths", async () => {
    for (const path of ["session", "csrf", "providers", "signin/acme", "signout", "nothing/here"]) {
      expect((await fetch(`${server.issuer}/interaction/external/${path}`, { redirect: "manual" })).status).toBe(404);
    }
  });
});
