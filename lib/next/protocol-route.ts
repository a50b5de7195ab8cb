/** Binds a protocol path to Next route handlers: the same dispatch as the fast server. */
import { routeProtocol } from "../oidc";
import { getRuntime } from "../runtime";
import { clientAddressFromHeaders } from "../server/client-ip";
import { routerFetchAnswer } from "../server/router-fetch";

/** Without `fixed`, the request's own path (a route with a dynamic segment). */
export function protocolRoute(fixed?: string) {
  const handler = async (req: Request): Promise<Response> => {
    const { provider } = await getRuntime();
    const pathname = fixed ?? new URL(req.url).pathname;
    return (
      routerFetchAnswer(req, pathname, provider.settings.issuer) ??
      (await routeProtocol(req, provider, pathname, { clientIp: clientAddressFromHeaders(req.headers) }))!
    );
  };
  return { GET: handler, POST: handler, PUT: handler, DELETE: handler, OPTIONS: handler };
}
