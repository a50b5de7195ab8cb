/**
 * The interactive flow through the real endpoints, without HTTP: a browser is a cookie jar,
 * a signed-in user is a session started as the login page would.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { createLocalJWKSet, jwtVerify } from "jose";
import { authorize, endSession, introspect, revokeUserTokens, token, userinfo } from "@/lib/oidc";
import { resumeAuthorize } from "@/lib/oidc/endpoints/authorize";
import { startSession } from "@/lib/oidc/session";
import { Cookies } from "@/lib/oidc/constants";
import { base64url } from "@/lib/oidc/crypto";
import { addApi, addClient, basic, formRequest, ISSUER, SECRET, testProvider, type TestProvider } from "../helpers/provider";

const REDIRECT = "https://app.example/cb";
const VERIFIER = "v".repeat(43) + "erifier-0123456789";
let p: TestProvider;
let cookie = "";

async function challenge(verifier: string) {
  return base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
}

async function signIn(userId = "u1") {
  const { handle } = await startSession(p.ctx, { userId, amr: ["pwd"] });
  cookie = `${Cookies.session}=${handle}`;
}

async function authorizeReq(params: Record<string, string>) {
  const q = new URLSearchParams({
    client_id: "web",
    response_type: "code",
    redirect_uri: REDIRECT,
    scope: "openid profile offline_access orders.read",
    state: "st",
    nonce: "n1",
    code_challenge: await challenge(VERIFIER),
    code_challenge_method: "S256",
    ...params,
  });
  for (const [k, v] of Object.entries(params)) if (v === "") q.delete(k);
  return authorize(new Request(`${ISSUER}/connect/authorize?${q}`, { headers: { cookie } }), p.ctx);
}

function location(res: Response): URL {
  expect(res.status).toBe(303);
  return new URL(res.headers.get("location")!);
}

async function code(params: Record<string, string> = {}) {
  const url = location(await authorizeReq(params));
  expect(url.origin + url.pathname).toBe(REDIRECT);
  return url.searchParams.get("code")!;
}

async function exchange(c: string, extra: Record<string, string> = {}, client = "web") {
  const res = await token(
    formRequest(
      "/connect/token",
      { grant_type: "authorization_code", code: c, redirect_uri: REDIRECT, code_verifier: VERIFIER, ...extra },
      basic(client, SECRET),
    ),
    p.ctx,
  );
  return { res, body: (await res.json()) as Record<string, string> };
}

async function refresh(rt: string) {
  const res = await token(formRequest("/connect/token", { grant_type: "refresh_token", refresh_token: rt }, basic("web", SECRET)), p.ctx);
  return { res, body: (await res.json()) as Record<string, string> };
}

beforeEach(async () => {
  p = await testProvider();
  cookie = "";
  await addApi(p.stores, "https://orders.example", ["orders.read"]);
  p.stores.data.identityResources.push(
    { name: "openid", enabled: true, claims: ["sub"], showInDiscovery: true },
    { name: "profile", enabled: true, claims: ["name", "preferred_username"], showInDiscovery: true },
  );
  await addClient(p.stores, {
    clientId: "web",
    grantTypes: ["authorization_code", "refresh_token"],
    redirectUris: [REDIRECT],
    postLogoutRedirectUris: ["https://app.example/bye"],
    allowedScopes: ["openid", "profile", "orders.read"],
    allowOfflineAccess: true,
    requireConsent: false,
    accessTokenFormat: "reference",
  });
  p.stores.data.users.set("u1", {
    id: "u1",
    username: "alice",
    email: "alice@example.com",
    emailVerified: true,
    claims: { name: "Alice" },
    roles: [],
    locked: false,
    updatedAt: new Date(p.clock.now),
  });
});

describe("authorization endpoint", () => {
  it("sends the browser to the login page without a session, and answers login_required to prompt=none", async () => {
    expect(location(await authorizeReq({})).pathname).toBe("/interaction/login");
    const none = location(await authorizeReq({ prompt: "none" }));
    expect(Object.fromEntries(none.searchParams)).toEqual({
      error: "login_required",
      error_description: "end-user authentication is required",
      state: "st",
      iss: ISSUER,
    });
  });

  it("never redirects to an unregistered redirect_uri or for an unknown client", async () => {
    const cases: Record<string, string>[] = [
      { redirect_uri: "https://evil.example/cb" },
      { client_id: "ghost" },
      { redirect_uri: REDIRECT + "/" },
    ];
    for (const params of cases) {
      const url = location(await authorizeReq(params));
      expect(url.origin).toBe(ISSUER);
      expect(url.pathname).toBe("/interaction/error");
    }
  });

  it("redirects protocol errors with error, state and iss (RFC 9207)", async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ response_type: "token" }, "unsupported_response_type", "unsupported response_type requested"],
      [{ code_challenge_method: "plain" }, "invalid_request", "code_challenge_method must be S256 (plain is not supported)"],
      [{ code_challenge: "", code_challenge_method: "" }, "invalid_request", "PKCE code_challenge is required"],
      [{ scope: "openid nope" }, "invalid_scope", "requested scope is not allowed: nope"],
      [{ prompt: "none login" }, "invalid_request", "prompt none must only be used alone"],
      [{ resource: "https://nowhere.example" }, "invalid_target", "unknown resource https://nowhere.example"],
    ];
    for (const [params, error, description] of cases) {
      const url = location(await authorizeReq(params));
      expect(url.origin + url.pathname).toBe(REDIRECT);
      expect(Object.fromEntries(url.searchParams)).toEqual({ error, error_description: description, state: "st", iss: ISSUER });
    }
  });

  it("lets a native client use its loopback redirect URI on any port (RFC 8252 7.3), and only a native client", async () => {
    await signIn();
    await addClient(p.stores, {
      clientId: "cli",
      applicationType: "native",
      tokenEndpointAuthMethod: "none",
      secrets: [],
      grantTypes: ["authorization_code"],
      redirectUris: ["http://127.0.0.1/callback", "http://[::1]:8400/cb?x=1"],
      allowedScopes: ["openid"],
      requireConsent: false,
    });
    for (const uri of ["http://127.0.0.1:51234/callback", "http://127.0.0.1/callback", "http://[::1]:9/cb?x=1"]) {
      const url = location(await authorizeReq({ client_id: "cli", redirect_uri: uri, scope: "openid" }));
      expect(url.origin + url.pathname + url.search.replace(/[?&]code=.*$/, "")).toMatch(new RegExp("^" + uri.replace(/[?[\]]/g, "\\$&")));
      expect(url.searchParams.get("code")).toBeTruthy();
    }
    const tricks = [
      "http://127.0.0.1:5555\\evil/callback",
      "http://127.0.0.1:5555\\..\\x/callback",
      "http://127.1:5555/callback",
      "http://2130706433:5555/callback",
      "http://0x7f.0.0.1:5555/callback",
      "http://LOCALHOST:5555/callback",
      "http://[0:0:0:0:0:0:0:1]:9/cb?x=1",
      "http://127.0.0.1:5555\t/callback",
      "http://u@127.0.0.1:5/callback",
    ];
    for (const uri of [
      "http://127.0.0.1:51234/other",
      "http://127.0.0.1:5/callback/",
      "http://localhost:5/callback",
      "http://[::1]:9/cb",
      "https://127.0.0.1:5/callback",
      ...tricks,
    ]) {
      const url = location(await authorizeReq({ client_id: "cli", redirect_uri: uri, scope: "openid" }));
      expect(url.pathname).toBe("/interaction/error");
    }
    // a web client's loopback URI still matches exactly
    p.stores.data.clients.get("web")!.redirectUris.push("http://127.0.0.1:3000/cb");
    expect(location(await authorizeReq({ redirect_uri: "http://127.0.0.1:3001/cb" })).pathname).toBe("/interaction/error");
  });

  it("applies the client's default_max_age when the request has no max_age", async () => {
    await signIn();
    p.stores.data.clients.get("web")!.defaultMaxAge = 60;
    p.clock.advance(30);
    expect(location(await authorizeReq({})).pathname).toBe("/cb");
    p.clock.advance(60);
    expect(location(await authorizeReq({})).pathname).toBe("/interaction/login");
    expect(location(await authorizeReq({ max_age: "3600" })).pathname).toBe("/cb");
  });

  it("issues a code to a signed-in user, with iss, in the fragment when asked", async () => {
    await signIn();
    const url = location(await authorizeReq({ response_mode: "fragment" }));
    const fragment = new URLSearchParams(url.hash.slice(1));
    expect(fragment.get("iss")).toBe(ISSUER);
    expect(fragment.get("state")).toBe("st");
    expect(fragment.get("code")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("refuses a revoked session at once", async () => {
    await signIn();
    const [session] = [...p.stores.data.sessions.values()];
    await p.ctx.stores.sessions.revokeSession(session!.id, new Date(p.clock.now));
    expect(location(await authorizeReq({ prompt: "none" })).searchParams.get("error")).toBe("login_required");
  });

  it("asks for login again with max_age exceeded and prompt=login", async () => {
    await signIn();
    p.clock.advance(120);
    expect(location(await authorizeReq({ max_age: "60" })).pathname).toBe("/interaction/login");
    expect(location(await authorizeReq({ max_age: "600" })).searchParams.has("code")).toBe(true);
    const login = location(await authorizeReq({ prompt: "login" }));
    expect(login.pathname).toBe("/interaction/login");
    // After signing in during that interaction, resuming completes it.
    p.clock.advance(1);
    await signIn();
    const resumed = await resumeAuthorize(
      new Request(`${ISSUER}/connect/authorize/resume?${login.searchParams}`, { headers: { cookie } }),
      p.ctx,
    );
    expect(location(resumed).searchParams.has("code")).toBe(true);
  });
});

describe("authorization code grant", () => {
  it("names the external identity provider of the sign-in in the ID token (idp), also after a refresh", async () => {
    const { handle } = await startSession(p.ctx, { userId: "u1", amr: ["fed"], idp: "corp-sso" });
    cookie = `${Cookies.session}=${handle}`;
    const { body } = await exchange(await code());
    const verify = async (t: string) =>
      (
        await jwtVerify(t, createLocalJWKSet(await p.ctx.keys.jwks()), {
          issuer: ISSUER,
          audience: "web",
          currentDate: new Date(p.clock.now),
        })
      ).payload;
    expect(await verify(body.id_token!)).toMatchObject({ sub: "u1", amr: ["fed"], idp: "corp-sso" });
    const next = (await refresh(body.refresh_token!)).body;
    expect(await verify(next.id_token!)).toMatchObject({ amr: ["fed"], idp: "corp-sso" });
  });

  it("exchanges the code for access, ID and refresh tokens; userinfo answers", async () => {
    await signIn();
    const { res, body } = await exchange(await code());
    expect(res.status).toBe(200);
    expect(body.scope).toBe("openid profile offline_access orders.read");
    const { payload } = await jwtVerify(body.id_token!, createLocalJWKSet(await p.ctx.keys.jwks()), {
      issuer: ISSUER,
      audience: "web",
      currentDate: new Date(p.clock.now),
    });
    expect(payload).toMatchObject({ sub: "u1", nonce: "n1", amr: ["pwd"], auth_time: p.clock.now / 1000 });
    expect(payload.idp).toBeUndefined(); // a local sign-in names no identity provider
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body.access_token!)));
    expect(payload.at_hash).toBe(base64url(digest.slice(0, 16)));
    expect(body.refresh_token).toBeTruthy();
    const info = await userinfo(
      new Request(`${ISSUER}/connect/userinfo`, { headers: { authorization: `Bearer ${body.access_token}` } }),
      p.ctx,
    );
    expect(await info.json()).toEqual({ sub: "u1", name: "Alice", preferred_username: "alice" });
  });

  it("puts the granted identity scopes' user claims in the ID token, unless the client turns it off; protocol claims win", async () => {
    // A stored claim named like a protocol claim, released by an identity resource that lists it.
    p.stores.data.users.get("u1")!.claims = { name: "Alice", nonce: "forged", aud: "someone-else", auth_time: 1 };
    p.stores.data.identityResources.push({ name: "odd", enabled: true, claims: ["nonce", "aud", "auth_time"], showInDiscovery: false });
    p.stores.data.clients.get("web")!.allowedScopes.push("odd");
    await signIn();
    const verify = async (t: string) =>
      (
        await jwtVerify(t, createLocalJWKSet(await p.ctx.keys.jwks()), {
          issuer: ISSUER,
          audience: "web",
          currentDate: new Date(p.clock.now),
        })
      ).payload;
    const first = await verify((await exchange(await code({ scope: "openid profile odd offline_access" }))).body.id_token!);
    expect(first).toMatchObject({
      sub: "u1",
      name: "Alice",
      preferred_username: "alice",
      nonce: "n1",
      aud: "web",
      auth_time: p.clock.now / 1000,
    });
    // Only what the granted scopes release: email was not asked for.
    expect(first.email).toBeUndefined();

    p.stores.data.clients.get("web")!.idTokenUserClaims = false;
    p.ctx.config.invalidate();
    const second = await verify((await exchange(await code({ scope: "openid profile" }))).body.id_token!);
    expect(second.name).toBeUndefined();
    expect(second.preferred_username).toBeUndefined();
    expect(second.sub).toBe("u1");
  });

  it("never lets a stored claim stand in for a protocol claim the token leaves out (nonce, idp, acr, azp, jti, nbf)", async () => {
    // The request sends no nonce and the sign-in is local: the ID token has no nonce and no idp of
    // its own, so a stored claim of that name (admin import, an upstream claim mapping) must not fill in.
    const forged = { nonce: "forged", idp: "corp-sso", acr: "urn:mfa", azp: "other", jti: "j", nbf: 1, c_hash: "x", s_hash: "y" };
    p.stores.data.users.get("u1")!.claims = { name: "Alice", ...forged };
    p.stores.data.identityResources.push({ name: "odd", enabled: true, claims: Object.keys(forged), showInDiscovery: false });
    p.stores.data.clients.get("web")!.allowedScopes.push("odd");
    await signIn();
    const { body } = await exchange(await code({ scope: "openid profile odd", nonce: "" }));
    const { payload } = await jwtVerify(body.id_token!, createLocalJWKSet(await p.ctx.keys.jwks()), {
      issuer: ISSUER,
      audience: "web",
      currentDate: new Date(p.clock.now),
    });
    expect(payload.name).toBe("Alice");
    for (const claim of Object.keys(forged).filter((c) => c !== "acr")) expect(payload[claim], claim).toBeUndefined();
    expect(payload.acr).toBe("urn:portcullis:acr:sfa"); // the token's own, never the stored one
  });

  it("binds the code to PKCE, redirect_uri and client", async () => {
    await signIn();
    expect((await exchange(await code(), { code_verifier: "w".repeat(43) })).body).toEqual({
      error: "invalid_grant",
      error_description: "PKCE verification failed",
    });
    expect((await exchange(await code(), { code_verifier: "" })).body).toEqual({
      error: "invalid_grant",
      error_description: "missing code_verifier",
    });
    expect((await exchange(await code(), { redirect_uri: "https://app.example/other" })).body).toEqual({
      error: "invalid_grant",
      error_description: "redirect_uri mismatch",
    });
    await addClient(p.stores, { clientId: "other", grantTypes: ["authorization_code"], redirectUris: [REDIRECT] });
    expect((await exchange(await code(), {}, "other")).body).toEqual({ error: "invalid_grant", error_description: "client mismatch" });
  });

  it("expires codes after the client's lifetime (60 s)", async () => {
    await signIn();
    const c = await code();
    p.clock.advance(61);
    expect((await exchange(c)).body).toEqual({ error: "invalid_grant", error_description: "authorization code is expired" });
  });

  it("refuses a replayed code and kills the tokens issued from it", async () => {
    await signIn();
    const c = await code();
    const first = (await exchange(c)).body;
    const replay = await exchange(c);
    expect(replay.res.status).toBe(400);
    expect(replay.body).toEqual({ error: "invalid_grant", error_description: "authorization code has already been used" });
    expect((await refresh(first.refresh_token!)).body).toEqual({ error: "invalid_grant", error_description: "refresh token is invalid" });
    const inspected = await introspect(formRequest("/connect/introspect", { token: first.access_token! }, basic("web", SECRET)), p.ctx);
    expect(await inspected.json()).toEqual({ active: false });
  });
  it("refuses JWT access tokens issued from a replayed code at introspection and userinfo (RFC 6749 4.1.2)", async () => {
    p.stores.data.clients.get("web")!.accessTokenFormat = "jwt";
    await signIn();
    const c = await code();
    const first = (await exchange(c)).body;
    const second = (await exchange(await code())).body; // another grant of the same user
    const bearer = (t: string) => userinfo(new Request(`${ISSUER}/connect/userinfo`, { headers: { authorization: `Bearer ${t}` } }), p.ctx);
    expect((await bearer(first.access_token!)).status).toBe(200);
    expect((await exchange(c)).body.error).toBe("invalid_grant");
    const inspected = await introspect(formRequest("/connect/introspect", { token: first.access_token! }, basic("web", SECRET)), p.ctx);
    expect(await inspected.json()).toEqual({ active: false });
    expect((await bearer(first.access_token!)).status).toBe(401);
    expect((await bearer(second.access_token!)).status).toBe(200);
    // The refresh token's successor tokens die with the family too.
    expect((await refresh(first.refresh_token!)).body.error).toBe("invalid_grant");
  });

  it("keeps every token and grant issued before revokeUserTokens dead, also once the user may sign in again", async () => {
    p.stores.data.clients.get("web")!.accessTokenFormat = "jwt";
    await signIn();
    const pending = await code();
    const { body } = await exchange(await code());
    p.clock.advance(1);
    await revokeUserTokens(p.ctx, "u1");
    p.clock.advance(1);
    expect((await refresh(body.refresh_token!)).body).toEqual({ error: "invalid_grant", error_description: "refresh token is revoked" });
    expect((await exchange(pending)).body).toEqual({ error: "invalid_grant", error_description: "authorization code is revoked" });
    const inspected = await introspect(formRequest("/connect/introspect", { token: body.access_token! }, basic("web", SECRET)), p.ctx);
    expect(await inspected.json()).toEqual({ active: false });
    const fresh = (await exchange(await code())).body;
    expect(
      (
        (await (
          await introspect(formRequest("/connect/introspect", { token: fresh.access_token! }, basic("web", SECRET)), p.ctx)
        ).json()) as { active: boolean }
      ).active,
    ).toBe(true);
    expect((await refresh(fresh.refresh_token!)).res.status).toBe(200);
  });

  it("stops a locked or deleted user's tokens at introspection and userinfo", async () => {
    p.stores.data.clients.get("web")!.accessTokenFormat = "jwt";
    await signIn();
    const { body } = await exchange(await code());
    const active = async () =>
      (
        (await (
          await introspect(formRequest("/connect/introspect", { token: body.access_token! }, basic("web", SECRET)), p.ctx)
        ).json()) as { active: boolean }
      ).active;
    const refreshActive = async () =>
      (
        (await (
          await introspect(formRequest("/connect/introspect", { token: body.refresh_token! }, basic("web", SECRET)), p.ctx)
        ).json()) as { active: boolean }
      ).active;
    expect([await active(), await refreshActive()]).toEqual([true, true]);
    p.stores.data.users.get("u1")!.locked = true;
    p.ctx.config.invalidate();
    expect([await active(), await refreshActive()]).toEqual([false, false]);
    p.stores.data.users.get("u1")!.locked = false;
    p.ctx.config.invalidate();
    expect(await active()).toBe(true);
    p.stores.data.users.delete("u1");
    p.ctx.config.invalidate();
    expect([await active(), await refreshActive()]).toEqual([false, false]);
  });
});

describe("claims parameter (OpenID Connect Core 5.5)", () => {
  const verify = async (t: string) =>
    (
      await jwtVerify(t, createLocalJWKSet(await p.ctx.keys.jwks()), {
        issuer: ISSUER,
        audience: "web",
        currentDate: new Date(p.clock.now),
      })
    ).payload;

  beforeEach(async () => {
    p.stores.data.identityResources.push({ name: "email", enabled: true, claims: ["email", "email_verified"], showInDiscovery: true });
    p.stores.data.clients.get("web")!.allowedScopes.push("email");
    p.stores.data.clients.get("web")!.idTokenUserClaims = false;
    p.ctx.config.invalidate();
    await signIn();
  });

  it("puts the claims it names in the ID token, asking for their identity scope, and userinfo releases that scope", async () => {
    const claims = JSON.stringify({
      id_token: { email: { essential: true }, name: null, nonce: null },
      userinfo: { email_verified: null },
    });
    const { body } = await exchange(await code({ scope: "openid profile", claims }));
    // email joined the scopes (the consent covers it); the ID token has exactly the claims named
    expect(body.scope!.split(" ").sort()).toEqual(["email", "openid", "profile"]);
    const idToken = await verify(body.id_token!);
    expect(idToken).toMatchObject({ email: "alice@example.com", name: "Alice", nonce: "n1" });
    expect(idToken.email_verified).toBeUndefined();
    expect(idToken.preferred_username).toBeUndefined();
    const info = await userinfo(
      new Request(`${ISSUER}/connect/userinfo`, { headers: { authorization: `Bearer ${body.access_token}` } }),
      p.ctx,
    );
    expect(await info.json()).toMatchObject({ sub: "u1", email: "alice@example.com", email_verified: true, name: "Alice" });
  });

  it("ignores claims no allowed identity scope releases, and keeps them after a refresh", async () => {
    const claims = JSON.stringify({ id_token: { birthdate: null, name: null } });
    const { body } = await exchange(await code({ scope: "openid profile offline_access", claims }));
    expect(body.scope!.split(" ").sort()).toEqual(["offline_access", "openid", "profile"]);
    expect(await verify(body.id_token!)).toMatchObject({ name: "Alice" });
    const again = await refresh(body.refresh_token!);
    const idToken = await verify(again.body.id_token!);
    expect(idToken.name).toBe("Alice");
    expect(idToken.birthdate).toBeUndefined();
  });

  it("asks for the authentication classes of id_token acr values", async () => {
    const url = location(
      await authorizeReq({ claims: JSON.stringify({ id_token: { acr: { essential: true, values: ["urn:portcullis:acr:mfa"] } } }) }),
    );
    expect(url.pathname).toBe("/interaction/mfa");
  });

  it("refuses a malformed claims parameter with invalid_request, redirected with state", async () => {
    const cases: [string, string][] = [
      ["{", "claims parameter must be a JSON object"],
      ["[]", "claims parameter must be a JSON object"],
      [JSON.stringify({ access_token: {} }), "claims parameter member 'access_token' is not supported"],
      [JSON.stringify({ userinfo: [] }), "claims parameter member 'userinfo' must be an object"],
      [JSON.stringify({ userinfo: { email: true } }), "claims parameter claim 'email' must be null or an object"],
      [JSON.stringify({ userinfo: { email: { essential: "yes" } } }), "claims parameter claim 'email' essential must be a boolean"],
      [JSON.stringify({ userinfo: { email: { other: 1 } } }), "claims parameter claim 'email' has an unknown member 'other'"],
      [JSON.stringify({ userinfo: { email: { values: "a" } } }), "claims parameter claim 'email' values must be an array of at most 20"],
      [JSON.stringify({ userinfo: { [`c${"x".repeat(4000)}`]: null } }), "claims parameter is longer than 4000 characters"],
    ];
    for (const [claims, description] of cases) {
      const url = location(await authorizeReq({ claims }));
      expect(Object.fromEntries(url.searchParams), claims.slice(0, 40)).toEqual({
        error: "invalid_request",
        error_description: description,
        state: "st",
        iss: ISSUER,
      });
    }
    const withoutOpenid = location(await authorizeReq({ scope: "orders.read", claims: "{}" }));
    expect(withoutOpenid.searchParams.get("error_description")).toBe("claims parameter requires the openid scope");
  });
});

describe("refresh tokens", () => {
  async function tokens() {
    await signIn();
    return (await exchange(await code())).body;
  }

  it("rotate on every use", async () => {
    const t = await tokens();
    const next = (await refresh(t.refresh_token!)).body;
    expect(next.refresh_token).toBeTruthy();
    expect(next.refresh_token).not.toBe(t.refresh_token);
    expect(next.id_token).toBeTruthy();
    expect((await refresh(next.refresh_token!)).res.status).toBe(200);
  });

  it("give a concurrent request within the grace window the same successor", async () => {
    const t = await tokens();
    const [a, b] = await Promise.all([refresh(t.refresh_token!), refresh(t.refresh_token!)]);
    expect(a.res.status).toBe(200);
    expect(b.res.status).toBe(200);
    expect(a.body.refresh_token).toBe(b.body.refresh_token);
    p.clock.advance(4);
    expect((await refresh(t.refresh_token!)).body.refresh_token).toBe(a.body.refresh_token);
  });

  it("revoke the whole family on reuse after the grace window", async () => {
    const t = await tokens();
    const next = (await refresh(t.refresh_token!)).body;
    p.clock.advance(6);
    const reuse = await refresh(t.refresh_token!);
    expect(reuse.body).toEqual({ error: "invalid_grant", error_description: "refresh token has already been used" });
    expect((await refresh(next.refresh_token!)).body.error).toBe("invalid_grant");
    expect(p.stores.data.audit.some((e) => e.type === "refresh_token_reused")).toBe(true);
  });

  it("expire at the sliding lifetime and never past the absolute one", async () => {
    const t = await tokens();
    const client = p.stores.data.clients.get("web")!;
    client.refreshTokenSlidingLifetime = 100;
    client.refreshTokenAbsoluteLifetime = 250;
    let rt = (await refresh(t.refresh_token!)).body.refresh_token!;
    for (let i = 0; i < 2; i++) {
      p.clock.advance(90);
      rt = (await refresh(rt)).body.refresh_token!;
    }
    p.clock.advance(80); // 260 s after the family started
    expect((await refresh(rt)).body).toEqual({ error: "invalid_grant", error_description: "refresh token is expired" });
  });

  it("are introspectable by their client until rotated", async () => {
    const t = await tokens();
    const ask = async (value: string, client = "web") =>
      (
        await introspect(
          formRequest("/connect/introspect", { token: value, token_type_hint: "refresh_token" }, basic(client, SECRET)),
          p.ctx,
        )
      ).json();
    const active = await ask(t.refresh_token!);
    expect(active).toMatchObject({ active: true, client_id: "web", sub: "u1", scope: "openid profile offline_access orders.read" });
    expect(active).not.toHaveProperty("token_type");
    await addClient(p.stores, { clientId: "other" });
    expect(await ask(t.refresh_token!, "other")).toEqual({ active: false });
    await refresh(t.refresh_token!);
    expect(await ask(t.refresh_token!)).toEqual({ active: false });
  });

  it("narrow scopes on request and refuse wider ones", async () => {
    const t = await tokens();
    const narrow = await refresh(t.refresh_token!);
    expect(narrow.res.status).toBe(200);
    const res = await token(
      formRequest(
        "/connect/token",
        { grant_type: "refresh_token", refresh_token: narrow.body.refresh_token!, scope: "openid email" },
        basic("web", SECRET),
      ),
      p.ctx,
    );
    expect(await res.json()).toEqual({ error: "invalid_scope", error_description: "refresh token does not allow scope email" });
  });
});

describe("userinfo errors (RFC 6750)", () => {
  it("challenges without a token and rejects client credentials and foreign tokens", async () => {
    const none = await userinfo(new Request(`${ISSUER}/connect/userinfo`), p.ctx);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe('Bearer realm="portcullis", DPoP algs="ES256 PS256 RS256 EdDSA"');
    const bad = await userinfo(new Request(`${ISSUER}/connect/userinfo`, { headers: { authorization: "Bearer nope" } }), p.ctx);
    expect(bad.status).toBe(401);
    expect(bad.headers.get("www-authenticate")).toBe(
      'Bearer realm="portcullis", error="invalid_token", error_description="access token is invalid or expired"',
    );

    const malformed = await userinfo(new Request(`${ISSUER}/connect/userinfo`, { headers: { authorization: "Bearer a b" } }), p.ctx);
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get("www-authenticate")).toBe(
      'Bearer realm="portcullis", error="invalid_request", error_description="invalid authorization header value format"',
    );
  });

  it("answers a CR/LF in a parameter name with invalid_request and a valid challenge, not a 500", async () => {
    const res = await userinfo(formRequest("/connect/userinfo", "access_token=x&a%0D%0Ab=1&a%0D%0Ab=2"), p.ctx);
    expect(res.status).toBe(400);
    expect(res.headers.get("www-authenticate")).toBe(
      'Bearer realm="portcullis", error="invalid_request", error_description="request has a malformed parameter name"',
    );
  });

  it("answers 403 insufficient_scope to a user token without openid", async () => {
    await signIn();
    const { body } = await exchange(await code({ scope: "orders.read", nonce: "" }));
    const res = await userinfo(
      new Request(`${ISSUER}/connect/userinfo`, { headers: { authorization: `Bearer ${body.access_token}` } }),
      p.ctx,
    );
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: "insufficient_scope", error_description: "access token lacks the openid scope" });
  });
});

describe("RP-initiated logout", () => {
  const end = (params: Record<string, string>) =>
    endSession(new Request(`${ISSUER}/connect/endsession?${new URLSearchParams(params)}`, { headers: { cookie } }), p.ctx);

  it("logs out with a valid hint and redirects to the registered URI with state", async () => {
    await signIn();
    const { body } = await exchange(await code());
    const res = await end({ id_token_hint: body.id_token!, post_logout_redirect_uri: "https://app.example/bye", state: "s" });
    expect(location(res).toString()).toBe("https://app.example/bye?state=s");
    expect(res.headers.get("set-cookie")).toContain("Max-Age=0");
    expect([...p.stores.data.sessions.values()][0]!.revokedAt).not.toBeNull();
  });

  it("never redirects to an unregistered URI or without a known client", async () => {
    await signIn();
    const cases: Record<string, string>[] = [
      { client_id: "web", post_logout_redirect_uri: "https://evil.example/" },
      { post_logout_redirect_uri: "https://app.example/bye" },
      { id_token_hint: "not-a-jwt", post_logout_redirect_uri: "https://app.example/bye" },
    ];
    for (const params of cases) {
      const url = location(await end(params));
      expect(url.origin + url.pathname).toBe(`${ISSUER}/interaction/error`);
    }
    expect([...p.stores.data.sessions.values()][0]!.revokedAt).toBeNull();
  });

  it("takes only an ID token as hint: an access token (JWT) of the same user asks for confirmation", async () => {
    p.stores.data.clients.get("web")!.accessTokenFormat = "jwt";
    await signIn();
    const { body } = await exchange(await code());
    const url = location(await end({ id_token_hint: body.access_token!, post_logout_redirect_uri: "https://app.example/bye" }));
    expect(url.origin + url.pathname).toBe(`${ISSUER}/interaction/error`);
    expect(url.searchParams.get("error_description")).toBe("id_token_hint is not a valid ID token issued here");
    expect([...p.stores.data.sessions.values()][0]!.revokedAt).toBeNull();
    // and at the authorization endpoint
    const authz = location(await authorizeReq({ id_token_hint: body.access_token! }));
    expect(authz.searchParams.get("error_description")).toBe("id_token_hint is not a valid ID token issued to this client");
    expect(location(await end({ id_token_hint: body.id_token!, post_logout_redirect_uri: "https://app.example/bye" })).toString()).toBe(
      "https://app.example/bye",
    );
  });

  it("asks for confirmation without a hint", async () => {
    await signIn();
    expect(location(await end({ client_id: "web", post_logout_redirect_uri: "https://app.example/bye" })).pathname).toBe(
      "/interaction/logout",
    );
  });
});
