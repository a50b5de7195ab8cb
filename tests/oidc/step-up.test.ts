/**
 * The second-factor step of the authorization flow and what the tokens say of it (lib/oidc/acr.ts):
 * which requests need "mfa", where they are sent, and acr/amr in the ID and access tokens.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { createLocalJWKSet, decodeJwt, jwtVerify } from "jose";
import { authorize, discovery, token, type ProviderContext } from "@/lib/oidc";
import { Acr } from "@/lib/oidc/acr";
import { startSession } from "@/lib/oidc/session";
import { Cookies } from "@/lib/oidc/constants";
import { base64url } from "@/lib/oidc/crypto";
import { addClient, basic, formRequest, ISSUER, SECRET, testProvider, type TestProvider } from "../helpers/provider";

const REDIRECT = "https://app.example/cb";
const VERIFIER = "v".repeat(43) + "erifier-0123456789";
let p: TestProvider;
let cookie = "";
let portalRequiresMfa = false;

async function signIn(amr: string[]) {
  const { handle } = await startSession(p.ctx, { userId: "u1", amr });
  cookie = `${Cookies.session}=${handle}`;
}

async function authorizeReq(params: Record<string, string> = {}, clientId = "web") {
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(VERIFIER))));
  const q = new URLSearchParams({
    client_id: clientId,
    response_type: "code",
    redirect_uri: REDIRECT,
    scope: "openid",
    state: "st",
    code_challenge: challenge,
    code_challenge_method: "S256",
    ...params,
  });
  const res = await authorize(new Request(`${ISSUER}/connect/authorize?${q}`, { headers: { cookie } }), p.ctx);
  expect(res.status).toBe(303);
  return new URL(res.headers.get("location")!);
}

beforeEach(async () => {
  p = await testProvider();
  portalRequiresMfa = false;
  (p.ctx as { signInPolicy: ProviderContext["signInPolicy"] }).signInPolicy = { requireMfa: async () => portalRequiresMfa };
  cookie = "";
  p.stores.data.identityResources.push({ name: "openid", enabled: true, claims: ["sub"], showInDiscovery: true });
  const interactive = { grantTypes: ["authorization_code"], redirectUris: [REDIRECT], allowedScopes: ["openid"], requireConsent: false };
  await addClient(p.stores, { clientId: "web", ...interactive });
  await addClient(p.stores, { clientId: "bank", ...interactive, requireMfa: true });
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

describe("the second-factor step", () => {
  it("lets a password session through when nothing asks for more", async () => {
    await signIn(["pwd"]);
    expect((await authorizeReq()).searchParams.has("code")).toBe(true);
    expect((await authorizeReq({ acr_values: `${Acr.singleFactor} ${Acr.multiFactor}` })).searchParams.has("code")).toBe(true);
    expect((await authorizeReq({ acr_values: "urn:other:gold idp:corp" })).pathname).not.toBe("/interaction/mfa");
  });

  for (const [what, params, client, portal] of [
    ["acr_values naming only mfa", { acr_values: Acr.multiFactor }, "web", false],
    ["a client with require_mfa", {}, "bank", false],
    ["the portal's setting", {}, "web", true],
  ] as const) {
    it(`sends a password session to the mfa page for ${what}; prompt=none answers login_required`, async () => {
      portalRequiresMfa = portal;
      await signIn(["pwd"]);
      const page = await authorizeReq(params, client);
      expect(page.origin + page.pathname).toBe(`${ISSUER}/interaction/mfa`);
      expect(page.searchParams.get("interaction")).toBeTruthy();
      const none = await authorizeReq({ ...params, prompt: "none" }, client);
      expect(none.origin + none.pathname).toBe(REDIRECT);
      expect(Object.fromEntries(none.searchParams)).toEqual({
        error: "login_required",
        error_description: "a second factor is required",
        state: "st",
        iss: ISSUER,
      });
    });
  }

  it("lets an mfa session through and says so in acr and amr, in the ID token and the access token", async () => {
    await signIn(["pwd", "otp", "mfa"]);
    const url = await authorizeReq({ acr_values: Acr.multiFactor }, "bank");
    const res = await token(
      formRequest(
        "/connect/token",
        { grant_type: "authorization_code", code: url.searchParams.get("code")!, redirect_uri: REDIRECT, code_verifier: VERIFIER },
        basic("bank", SECRET),
      ),
      p.ctx,
    );
    const body = (await res.json()) as Record<string, string>;
    expect(res.status).toBe(200);
    const { payload } = await jwtVerify(body.id_token!, createLocalJWKSet(await p.ctx.keys.jwks()), {
      issuer: ISSUER,
      audience: "bank",
      currentDate: new Date(p.clock.now),
    });
    expect(payload).toMatchObject({ acr: Acr.multiFactor, amr: ["pwd", "otp", "mfa"] });
    expect(decodeJwt(body.access_token!)).toMatchObject({ acr: Acr.multiFactor });
  });

  it("names a password sign-in sfa", async () => {
    await signIn(["pwd"]);
    const url = await authorizeReq();
    const res = await token(
      formRequest(
        "/connect/token",
        { grant_type: "authorization_code", code: url.searchParams.get("code")!, redirect_uri: REDIRECT, code_verifier: VERIFIER },
        basic("web", SECRET),
      ),
      p.ctx,
    );
    expect(decodeJwt(((await res.json()) as { id_token: string }).id_token)).toMatchObject({ acr: Acr.singleFactor, amr: ["pwd"] });
  });

  it("refuses an acr_values over 2,000 characters", async () => {
    await signIn(["pwd"]);
    const url = await authorizeReq({ acr_values: "x".repeat(2001) });
    expect(url.searchParams.get("error")).toBe("invalid_request");
  });

  it("advertises the classes in discovery", async () => {
    const meta = (await (await discovery(new Request(`${ISSUER}/.well-known/openid-configuration`), p.ctx)).json()) as Record<string, unknown>;
    expect(meta.acr_values_supported).toEqual([Acr.singleFactor, Acr.multiFactor]);
    expect(meta.claims_supported).toEqual(expect.arrayContaining(["acr", "amr"]));
  });
});
