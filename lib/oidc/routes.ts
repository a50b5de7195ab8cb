import { Paths } from "./constants";
import type { ProviderContext } from "./context";
import { authorize, resumeAuthorize } from "./endpoints/authorize";
import { endSession } from "./endpoints/end-session";
import { introspect } from "./endpoints/introspect";
import { discovery, jwks, jwksDocument, metadataDocument, type PublicDocument } from "./endpoints/metadata";
import { revoke } from "./endpoints/revoke";
import { token } from "./endpoints/token";
import { userinfo } from "./endpoints/userinfo";
import { withProtocolSecurityHeaders } from "./security-headers";

export type Endpoint = (req: Request, ctx: ProviderContext) => Promise<Response>;

interface Route {
  GET?: Endpoint;
  POST?: Endpoint;
  /** browser apps on other origins may call it (no cookies are involved) */
  cors?: boolean;
  /** a top-level browser navigation: the portal's client-side router must not fetch it */
  navigation?: boolean;
}

/** Every protocol endpoint by path and method: the fast server and Next's routes serve these. */
export const protocolRoutes: Readonly<Record<string, Route>> = {
  [Paths.discovery]: { GET: discovery, cors: true },
  [Paths.oauthMetadata]: { GET: discovery, cors: true },
  [Paths.jwks]: { GET: jwks, cors: true },
  [Paths.token]: { POST: token, cors: true },
  [Paths.introspection]: { POST: introspect },
  [Paths.revocation]: { POST: revoke, cors: true },
  [Paths.userinfo]: { GET: userinfo, POST: userinfo, cors: true },
  [Paths.authorize]: { GET: authorize, POST: authorize, navigation: true },
  [Paths.authorizeResume]: { GET: resumeAuthorize, navigation: true },
  [Paths.endSession]: { GET: endSession, POST: endSession, navigation: true },
};

const PREFLIGHT = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Headers": "Authorization, Content-Type, DPoP",
  "Access-Control-Max-Age": "600",
};

/**
 * Dispatches a request to its protocol endpoint, with the security headers every protocol
 * response carries; null when the path is not a protocol path.
 */
export function routeProtocol(req: Request, ctx: ProviderContext, pathname: string): Promise<Response> | null {
  const answer = dispatch(req, ctx, pathname);
  return answer && answer.then((res) => withProtocolSecurityHeaders(res, ctx.settings.issuer));
}

function dispatch(req: Request, ctx: ProviderContext, pathname: string): Promise<Response> | null {
  const route = protocolRoutes[pathname];
  if (!route) return null;
  const allowed = (["GET", "POST"] as const).filter((m) => route[m]);
  if (req.method === "OPTIONS" && route.cors) {
    return Promise.resolve(new Response(null, { status: 204, headers: { ...PREFLIGHT, "Access-Control-Allow-Methods": allowed.join(", ") } }));
  }
  const method = req.method === "HEAD" ? "GET" : req.method;
  const endpoint = route[method as "GET" | "POST"];
  if (!endpoint) return Promise.resolve(new Response(null, { status: 405, headers: { Allow: allowed.join(", ") } }));
  if (route.navigation && req.headers.has("rsc")) {
    // After a server action redirects here, the portal's router first fetches the URL for a
    // React Server Components payload. Running the endpoint then would consume the sign-in
    // before the real navigation arrives; a plain answer makes the router navigate for real.
    return Promise.resolve(new Response("navigate", { status: 200, headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } }));
  }
  if (!route.cors) return endpoint(req, ctx);
  return endpoint(req, ctx).then((res) => {
    res.headers.set("Access-Control-Allow-Origin", "*");
    return res;
  });
}

/** The public documents by path, for servers that write them without building a Response. */
export const publicDocuments: Readonly<Record<string, (ctx: ProviderContext) => Promise<PublicDocument>>> = {
  [Paths.discovery]: metadataDocument,
  [Paths.oauthMetadata]: metadataDocument,
  [Paths.jwks]: jwksDocument,
};
