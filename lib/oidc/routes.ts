import { Paths } from "./constants";
import type { ProviderContext } from "./context";
import { authorize, resumeAuthorize } from "./endpoints/authorize";
import { endSession } from "./endpoints/end-session";
import { frontchannelLogout } from "./logout/frontchannel";
import { introspect } from "./endpoints/introspect";
import { discovery, jwks, jwksDocument, metadataDocument, type PublicDocument } from "./endpoints/metadata";
import { revoke } from "./endpoints/revoke";
import { pushedAuthorizationRequest } from "./endpoints/par";
import { deviceAuthorization } from "./endpoints/device-authorization";
import { manageRegisteredClient, registerClient } from "./endpoints/register";
import { token } from "./endpoints/token";
import { userinfo } from "./endpoints/userinfo";
import { CORS_HEADERS, withProtocolSecurityHeaders } from "./security-headers";
import type { RateLimitRule } from "./config";
import { MAX_BODY_BYTES } from "./http";
import { addressKey, hitInOrder, nameKey, rateLimitedJson, rateLimitedPage, type RequestInfo } from "./rate-limit";

export type Endpoint = (req: Request, ctx: ProviderContext) => Promise<Response>;

const METHODS = ["GET", "POST", "PUT", "DELETE"] as const;

interface Route {
  GET?: Endpoint;
  POST?: Endpoint;
  PUT?: Endpoint;
  DELETE?: Endpoint;
  /** browser apps on other origins may call it (no cookies are involved) */
  cors?: boolean;
  /** a top-level browser navigation: the portal's client-side router must not fetch it */
  navigation?: boolean;
  /** rate limits counted before the endpoint runs (lib/oidc/rate-limit.ts) */
  limit?: { ip: RateLimitRule; client?: { rule: RateLimitRule; id: (req: Request) => Promise<string | undefined> } };
}

/** Every protocol endpoint by path and method: the fast server and Next's routes serve these. */
export const protocolRoutes: Readonly<Record<string, Route>> = {
  [Paths.discovery]: { GET: discovery, cors: true },
  [Paths.oauthMetadata]: { GET: discovery, cors: true },
  [Paths.jwks]: { GET: jwks, cors: true },
  [Paths.token]: { POST: token, cors: true, limit: { ip: "token.ip" } },
  [Paths.introspection]: { POST: introspect, limit: { ip: "introspection.ip" } },
  [Paths.revocation]: { POST: revoke, cors: true, limit: { ip: "token.ip" } },
  [Paths.pushedAuthorizationRequest]: { POST: pushedAuthorizationRequest, cors: true, limit: { ip: "token.ip" } },
  [Paths.deviceAuthorization]: { POST: deviceAuthorization, cors: true, limit: { ip: "token.ip" } },
  [Paths.registration]: { POST: registerClient, cors: true, limit: { ip: "token.ip" } },
  [Paths.userinfo]: { GET: userinfo, POST: userinfo, cors: true },
  [Paths.authorize]: {
    GET: authorize,
    POST: authorize,
    navigation: true,
    limit: { ip: "authorize.ip", client: { rule: "authorize.client", id: authorizeClientId } },
  },
  [Paths.authorizeResume]: { GET: resumeAuthorize, navigation: true },
  // end-session stores a logout request for the confirmation page: counted like authorize.
  [Paths.endSession]: { GET: endSession, POST: endSession, navigation: true, limit: { ip: "authorize.ip" } },
  [Paths.frontchannelLogout]: { GET: frontchannelLogout, navigation: true },
};

/** Paths under which each path is one resource: RFC 7592's registration_client_uri. */
const prefixRoutes: Readonly<Record<string, Route>> = {
  [Paths.registration + "/"]: {
    GET: manageRegisteredClient,
    PUT: manageRegisteredClient,
    DELETE: manageRegisteredClient,
    cors: true,
    limit: { ip: "token.ip" },
  },
};

function routeOf(pathname: string): Route | undefined {
  if (Object.hasOwn(protocolRoutes, pathname)) return protocolRoutes[pathname];
  const prefix = Object.keys(prefixRoutes).find((p) => pathname.startsWith(p) && pathname.length > p.length);
  return prefix ? prefixRoutes[prefix] : undefined;
}

/** Whether the protocol core serves this path (the fast server sends it there rather than to Next). */
export const isProtocolPath = (pathname: string): boolean => routeOf(pathname) !== undefined;

const PREFLIGHT = {
  ...CORS_HEADERS,
  "Access-Control-Allow-Headers": "Authorization, Content-Type, DPoP",
  "Access-Control-Max-Age": "600",
};

/**
 * Dispatches a request to its protocol endpoint, with the security headers every protocol
 * response carries; null when the path is not a protocol path. `info` carries what only the
 * server adapter knows: the client address it trusts.
 */
export function routeProtocol(req: Request, ctx: ProviderContext, pathname: string, info: RequestInfo = {}): Promise<Response> | null {
  const answer = dispatch(req, ctx, pathname, info);
  return answer && answer.then((res) => withProtocolSecurityHeaders(res, ctx.settings.issuer));
}

function dispatch(req: Request, ctx: ProviderContext, pathname: string, info: RequestInfo): Promise<Response> | null {
  const route = routeOf(pathname);
  if (!route) return null;
  const allowed = METHODS.filter((m) => route[m]);
  if (req.method === "OPTIONS" && route.cors) {
    return Promise.resolve(
      new Response(null, { status: 204, headers: { ...PREFLIGHT, "Access-Control-Allow-Methods": allowed.join(", ") } }),
    );
  }
  const method = req.method === "HEAD" ? "GET" : req.method;
  const endpoint = route[method as (typeof METHODS)[number]];
  if (!endpoint) return Promise.resolve(new Response(null, { status: 405, headers: { Allow: allowed.join(", ") } }));
  const run = route.limit ? limited(req, ctx, route, info, endpoint) : endpoint(req, ctx);
  if (!route.cors) return run;
  return run.then((res) => {
    for (const [k, v] of Object.entries(CORS_HEADERS)) res.headers.set(k, v);
    return res;
  });
}

/** Counts the request under its route's limits; over one, answers 429 without running the endpoint. */
async function limited(req: Request, ctx: ProviderContext, route: Route, info: RequestInfo, endpoint: Endpoint): Promise<Response> {
  const { ip, client } = route.limit!;
  const hits: [RateLimitRule, string][] = [[ip, addressKey(info.clientIp)]];
  const clientId = client ? await client.id(req) : undefined;
  if (client && clientId) hits.push([client.rule, nameKey(clientId)]);
  const wait = await hitInOrder(ctx.limits, hits);
  if (wait > 0) return route.navigation ? rateLimitedPage(wait) : rateLimitedJson(wait);
  return endpoint(req, ctx);
}

/** The client_id an authorization request names, read without consuming the request. */
async function authorizeClientId(req: Request): Promise<string | undefined> {
  if (req.method !== "POST") return new URL(req.url).searchParams.get("client_id") ?? undefined;
  const length = Number(req.headers.get("content-length") ?? NaN);
  if (!(length <= MAX_BODY_BYTES)) return undefined;
  try {
    return new URLSearchParams(await req.clone().text()).get("client_id") ?? undefined;
  } catch {
    return undefined;
  }
}

/** The public documents by path, for servers that write them without building a Response. */
export const publicDocuments: Readonly<Record<string, (ctx: ProviderContext) => Promise<PublicDocument>>> = {
  [Paths.discovery]: metadataDocument,
  [Paths.oauthMetadata]: metadataDocument,
  [Paths.jwks]: jwksDocument,
};
