/**
 * openid-client as a relying party of a test provider in process: its fetches go to the provider's
 * routes (no HTTP server, the same endpoints), and a browser visit is one signed-in request.
 */
import { expect } from "vitest";
import * as oidc from "openid-client";
import { routeProtocol } from "@/lib/oidc/routes";
import { startSession } from "@/lib/oidc/session";
import { Cookies } from "@/lib/oidc/constants";
import { ISSUER, SECRET, type TestProvider } from "./provider";

export function fetchInProcess(p: () => TestProvider): oidc.CustomFetch {
  return async (url, options) => {
    const req = new Request(url, { method: options.method, headers: options.headers, body: options.body as BodyInit | undefined });
    return (await routeProtocol(req, p().ctx, new URL(url).pathname)) ?? new Response("not found", { status: 404 });
  };
}

/** openid-client's configuration of `clientId` at the test issuer, authenticating with client_secret_basic. */
export function discover(p: () => TestProvider, clientId: string, execute: ((c: oidc.Configuration) => void)[] = []) {
  return oidc.discovery(new URL(ISSUER), clientId, undefined, oidc.ClientSecretBasic(SECRET), {
    [oidc.customFetch]: fetchInProcess(p),
    execute,
  });
}

/** The browser's visit to the authorization endpoint with a session of `userId`: the 303 or 200 response. */
export async function visitSignedIn(p: TestProvider, url: URL, userId = "u1"): Promise<Response> {
  const { handle } = await startSession(p.ctx, { userId, amr: ["pwd"] });
  const res = await routeProtocol(new Request(url, { headers: { cookie: `${Cookies.session}=${handle}` } }), p.ctx, url.pathname);
  expect(res).not.toBeNull();
  return res!;
}
