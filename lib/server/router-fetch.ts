/**
 * After a server action redirects to a protocol navigation (authorize, its resumption, end
 * session), Next's client router first fetches that URL for a React Server Components payload
 * (header `RSC: 1`). Running the endpoint then would consume the sign-in before the real
 * navigation arrives, so both servers answer such a fetch with a plain body, which makes the
 * router navigate for real. A Next concern: it lives with the adapters, not in lib/oidc.
 */
import { parseAndValidateFlightRouterState } from "next/dist/server/app-render/parse-and-validate-flight-router-state.js";
import { protocolRoutes, withProtocolSecurityHeaders } from "../oidc";

export function routerFetchAnswer(req: Request, pathname: string, issuer: string): Response | null {
  if (!protocolRoutes[pathname]?.navigation || !req.headers.has("rsc")) return null;
  return withProtocolSecurityHeaders(
    new Response("navigate", { status: 200, headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } }),
    issuer,
  );
}

/**
 * The client router's state header, checked with Next's own parser before Next sees it: Next
 * answers a malformed one with a 500, and strips the header from what proxy.ts is shown.
 */
export function validRouterState(header: string | string[] | undefined): boolean {
  if (header === undefined) return true;
  try {
    parseAndValidateFlightRouterState(header);
    return true;
  } catch {
    return false;
  }
}
