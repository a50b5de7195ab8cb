/**
 * Pushed authorization requests (RFC 9126) with openid-client as the client, talking to the
 * provider in process through its customFetch (no HTTP server, the same endpoints).
 */
import { beforeEach, describe, expect, it } from "vitest";
import * as oidc from "openid-client";
import { routeProtocol } from "@/lib/oidc/routes";
import { startSession } from "@/lib/oidc/session";
import { Cookies } from "@/lib/oidc/constants";
import { addClient, basic, formRequest, ISSUER, SECRET, testProvider, type TestProvider } from "../helpers/provider";

const REDIRECT = "https://app.example/cb";
let p: TestProvider;

const fetchHere: oidc.CustomFetch = async (url, options) => {
  const req = new Request(url, { method: options.method, headers: options.headers, body: options.body as BodyInit | undefined });
  return (await routeProtocol(req, p.ctx, new URL(url).pathname)) ?? new Response("not found", { status: 404 });
};

async function rp(clientId = "web") {
  return oidc.discovery(new URL(ISSUER), clientId, undefined, oidc.ClientSecretBasic(SECRET), { [oidc.customFetch]: fetchHere });
}

/** The browser's visit to the authorization endpoint, signed in. */
async function visit(url: URL): Promise<URL> {
  const { handle } = await startSession(p.ctx, { userId: "u1", amr: ["pwd"] });
  const res = await routeProtocol(new Request(url, { headers: { cookie: `${Cookies.session}=${handle}` } }), p.ctx, url.pathname);
  expect(res!.status).toBe(303);
  return new URL(res!.headers.get("location")!);
}

beforeEach(async () => {
  p = await testProvider();
  p.clock.now = Date.now(); // openid-client checks token times against the real clock
  p.stores.data.identityResources.push({ name: "openid", enabled: true, claims: ["sub"], showInDiscovery: true });
  const interactive = { grantTypes: ["authorization_code"], redirectUris: [REDIRECT], allowedScopes: ["openid"], requireConsent: false };
  await addClient(p.stores, { clientId: "web", ...interactive });
  await addClient(p.stores, { clientId: "strict", ...interactive, requirePushedAuthorizationRequests: true });
  await addClient(p.stores, { clientId: "other", ...interactive });
  await addClient(p.stores, { clientId: "post", ...interactive, tokenEndpointAuthMethod: "client_secret_post" });
  p.stores.data.users.set("u1", {
    id: "u1",
    username: "alice",
    email: null,
    emailVerified: false,
    claims: {},
    roles: [],
    locked: false,
    updatedAt: new Date(p.clock.now),
  });
});

const params = async () => {
  const verifier = oidc.randomPKCECodeVerifier();
  return {
    verifier,
    params: {
      redirect_uri: REDIRECT,
      response_type: "code",
      scope: "openid",
      state: "st",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
    },
  };
};

describe("pushed authorization requests", () => {
  it("advertises the endpoint", async () => {
    const config = await rp();
    expect(config.serverMetadata()).toMatchObject({
      pushed_authorization_request_endpoint: `${ISSUER}/connect/par`,
      require_pushed_authorization_requests: false,
    });
  });

  it("signs in through a pushed request with openid-client, and the request_uri works once", async () => {
    const config = await rp();
    const { verifier, params: ps } = await params();
    const url = await oidc.buildAuthorizationUrlWithPAR(config, ps);
    expect(url.searchParams.get("request_uri")).toMatch(/^urn:ietf:params:oauth:request_uri:[A-Za-z0-9_-]{40,}$/);
    expect([...url.searchParams.keys()].sort()).toEqual(["client_id", "request_uri"]);
    const back = await visit(url);
    expect(back.origin + back.pathname).toBe(REDIRECT);
    const tokens = await oidc.authorizationCodeGrant(config, back, { pkceCodeVerifier: verifier, expectedState: "st" });
    expect(tokens.claims()?.sub).toBe("u1");

    const again = await visit(url);
    expect(again.pathname).toBe("/interaction/error");
    expect(again.searchParams.get("error")).toBe("invalid_request_uri");
  });

  it("answers 201 with request_uri and expires_in from the client's pushed_request_lifetime; it expires", async () => {
    p.stores.data.clients.get("web")!.pushedRequestLifetime = 30;
    const { params: ps } = await params();
    const res = await routeProtocol(formRequest("/connect/par", ps, basic("web", SECRET)), p.ctx, "/connect/par");
    expect(res!.status).toBe(201);
    expect(res!.headers.get("cache-control")).toBe("no-store");
    const body = (await res!.json()) as { request_uri: string; expires_in: number };
    expect(body.expires_in).toBe(30);
    p.clock.advance(31);
    const late = await visit(new URL(`${ISSUER}/connect/authorize?client_id=web&request_uri=${encodeURIComponent(body.request_uri)}`));
    expect(late.searchParams.get("error")).toBe("invalid_request_uri");
  });

  it("refuses another client's request_uri, and ignores parameters outside the pushed request", async () => {
    const { params: ps } = await params();
    const body = (await (await routeProtocol(formRequest("/connect/par", ps, basic("web", SECRET)), p.ctx, "/connect/par"))!.json()) as {
      request_uri: string;
    };
    const stolen = await visit(new URL(`${ISSUER}/connect/authorize?client_id=other&request_uri=${encodeURIComponent(body.request_uri)}`));
    expect(stolen.searchParams.get("error")).toBe("invalid_request_uri");
    // The record was not spent by the wrong client: the right one still gets its code, with the pushed state.
    const ok = await visit(
      new URL(`${ISSUER}/connect/authorize?client_id=web&state=forged&request_uri=${encodeURIComponent(body.request_uri)}`),
    );
    expect(ok.searchParams.get("state")).toBe("st");
  });

  it("validates the pushed request and answers JSON errors, never a redirect", async () => {
    const push = async (body: Record<string, string>, headers = basic("web", SECRET)) => {
      const res = (await routeProtocol(formRequest("/connect/par", body, headers), p.ctx, "/connect/par"))!;
      return { status: res.status, body: await res.json() };
    };
    const { params: ps } = await params();
    expect(await push({ ...ps, redirect_uri: "https://evil.example/cb" })).toEqual({
      status: 400,
      body: { error: "invalid_request", error_description: "redirect_uri did not match any of the client's registered redirect_uris" },
    });
    expect(await push({ ...ps, scope: "openid admin" })).toMatchObject({ status: 400, body: { error: "invalid_scope" } });
    expect(await push({ ...ps, request_uri: "urn:x" })).toEqual({
      status: 400,
      body: { error: "invalid_request", error_description: "request_uri must not be pushed" },
    });
    expect(await push({ ...ps, client_id: "other" })).toEqual({
      status: 400,
      body: { error: "invalid_request", error_description: "client_id does not match the client authentication" },
    });
    expect((await push(ps, basic("web", "wrong-secret-wrong-secret-wrong-secret"))).status).toBe(401);
  });

  it("keeps the client's credentials out of the stored request", async () => {
    const { params: ps } = await params();
    const res = await routeProtocol(
      formRequest("/connect/par", { ...ps, client_id: "post", client_secret: SECRET }),
      p.ctx,
      "/connect/par",
    );
    expect(res!.status).toBe(201);
    const stored = [...p.stores.data.grants.values()].filter((g) => g.type === "pushed_request");
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored[0]!.data)).not.toContain(SECRET);
  });

  it("refuses a plain request when the client requires PAR, and takes the pushed one", async () => {
    const { params: ps } = await params();
    const plain = await visit(
      new URL(`${ISSUER}/connect/authorize?${new URLSearchParams({ ...ps, client_id: "strict", response_type: "code" })}`),
    );
    expect(plain.origin + plain.pathname).toBe(REDIRECT);
    expect(plain.searchParams.get("error")).toBe("invalid_request");
    expect(plain.searchParams.get("error_description")).toBe("pushed authorization request required");
    const url = await oidc.buildAuthorizationUrlWithPAR(await rp("strict"), ps);
    expect((await visit(url)).searchParams.has("code")).toBe(true);
  });
});
