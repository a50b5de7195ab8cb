/** Binds a protocol path to Next route handlers: the same dispatch as the fast server. */
import { routeProtocol } from "../oidc/routes";
import { getRuntime } from "../runtime";
import { clientAddressFromHeaders } from "../server/client-ip";

export function protocolRoute(pathname: string) {
  const handler = async (req: Request): Promise<Response> =>
    (await routeProtocol(req, (await getRuntime()).provider, pathname, { clientIp: clientAddressFromHeaders(req.headers) }))!;
  return { GET: handler, POST: handler, OPTIONS: handler };
}
