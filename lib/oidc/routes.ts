import { Paths } from "./constants";
import type { ProviderContext } from "./context";
import { introspect } from "./endpoints/introspect";
import { discovery, jwks } from "./endpoints/metadata";
import { revoke } from "./endpoints/revoke";
import { token } from "./endpoints/token";

export type Endpoint = (req: Request, ctx: ProviderContext) => Promise<Response>;

/** Every machine-facing endpoint by path and method: the fast server and Next's routes serve these. */
export const protocolRoutes: Readonly<Record<string, Partial<Record<"GET" | "POST", Endpoint>>>> = {
  [Paths.discovery]: { GET: discovery },
  [Paths.oauthMetadata]: { GET: discovery },
  [Paths.jwks]: { GET: jwks },
  [Paths.token]: { POST: token },
  [Paths.introspection]: { POST: introspect },
  [Paths.revocation]: { POST: revoke },
};

/** Dispatches a request to its protocol endpoint; null when the path is not a protocol path. */
export function routeProtocol(req: Request, ctx: ProviderContext, pathname: string): Promise<Response> | null {
  const route = protocolRoutes[pathname];
  if (!route) return null;
  const method = req.method === "HEAD" ? "GET" : req.method;
  const endpoint = route[method as "GET" | "POST"];
  if (!endpoint) {
    return Promise.resolve(new Response(null, { status: 405, headers: { Allow: Object.keys(route).join(", ") } }));
  }
  return endpoint(req, ctx);
}
