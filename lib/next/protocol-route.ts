/** Binds a protocol path to Next route handlers: the same dispatch as the fast server. */
import { routeProtocol } from "../oidc";
import { getRuntime } from "../runtime";
import { clientAddressFromHeaders } from "../server/client-ip";
import { routerFetchAnswer } from "../server/router-fetch";

export function protocolRoute(pathname: string) {
  const handler = async (req: Request): Promise<Response> => {
    const { provider } = await getRuntime();
    return (
      routerFetchAnswer(req, pathname, provider.settings.issuer) ??
      (await routeProtocol(req, provider, pathname, { clientIp: clientAddressFromHeaders(req.headers) }))!
    );
  };
  return { GET: handler, POST: handler, OPTIONS: handler };
}
