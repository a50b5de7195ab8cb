/**
 * Runs before every page and admin API request Next serves (protocol endpoints set their own
 * headers in lib/oidc/routes.ts):
 * - the security headers of lib/oidc/security-headers.ts, with a fresh CSP nonce that Next puts
 *   on its own scripts (it reads the nonce from the request's Content-Security-Policy header);
 * - a CSRF cookie (random, HttpOnly, SameSite=Strict) for browsers that have none. Forms carry an
 *   HMAC of it (lib/auth/interaction-views.ts formToken), so a cross-site page can neither read
 *   nor forge the token;
 * - a path with a malformed percent-encoding gets a 404 here: Next would answer it with a 500
 *   before any page code runs;
 * - a path ending in "/" is redirected to the path without it here (next.config.mjs turns Next's
 *   own redirect off, which would come without these headers);
 * - a form POST to a page from another origin (a forged login, consent or console form) gets a
 *   403 page here, before Next's own action check would answer it with a 500.
 */
import { NextResponse, type NextRequest } from "next/server";
import { Cookies, pageSecurityHeaders } from "@/lib/oidc";
import { env } from "@/lib/env";

export async function proxy(req: NextRequest) {
  const { issuer } = env();
  const nonce = btoa(crypto.randomUUID());
  const headers = pageSecurityHeaders(issuer, nonce);
  const refuse = (status: number, body: string, type = "text/plain; charset=utf-8") =>
    new NextResponse(body, { status, headers: { ...headers, "Content-Type": type, "Cache-Control": "no-store" } });
  const path = req.nextUrl.pathname;
  if (!decodable(path)) return refuse(404, "Not Found");
  if (path.length > 1 && path.endsWith("/")) {
    const url = req.nextUrl.clone();
    url.pathname = path.replace(/\/+$/, "") || "/";
    const res = NextResponse.redirect(url, 308);
    for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
    return res;
  }
  if (req.method === "POST" && !path.startsWith("/api/")) {
    if (isCrossOrigin(req)) return refuse(403, FORBIDDEN_PAGE, "text/html; charset=utf-8");
    if (!(await validActionBody(req))) return refuse(400, "Bad Request: malformed server action arguments");
  }
  const requestHeaders = new Headers(req.headers);
  requestHeaders.set("Content-Security-Policy", headers["Content-Security-Policy"]!);
  let csrf: string | null = null;
  if (!req.cookies.get(Cookies.csrf) && !path.startsWith("/_next/")) {
    csrf = crypto.randomUUID() + crypto.randomUUID();
    const cookie = [req.headers.get("cookie"), `${Cookies.csrf}=${csrf}`].filter(Boolean).join("; ");
    requestHeaders.set("cookie", cookie);
  }
  const res = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
  if (csrf) res.cookies.set(Cookies.csrf, csrf, { httpOnly: true, sameSite: "strict", path: "/", secure: issuer.startsWith("https:") });
  return res;
}

function decodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * A browser's POST names its page's origin. The comparison is Next's own for server actions
 * (the Origin's host against X-Forwarded-Host, else Host), so whatever Next would refuse with a
 * 500 is refused here with a 403 first; "null" (sandboxed or opaque) is never ours.
 */
function isCrossOrigin(req: NextRequest): boolean {
  const origin = req.headers.get("origin");
  if (origin === null) return false; // not a browser form: the form's CSRF token still decides
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  return !host || origin === "null" || !URL.canParse(origin) || new URL(origin).host !== host;
}

const MAX_ACTION_BODY = 1024 * 1024;

/** A server action called from script sends its arguments as JSON text; Next answers unparsable ones with a 500. */
async function validActionBody(req: NextRequest): Promise<boolean> {
  if (!req.headers.has("next-action") || !(req.headers.get("content-type") ?? "").startsWith("text/plain")) return true;
  const text = await req.clone().text();
  if (text.length > MAX_ACTION_BODY) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const FORBIDDEN_PAGE =
  `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<title>Request refused · Portcullis</title></head><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#0f172a">` +
  `<h1 style="font-size:1.25rem">This form was sent from another site</h1>` +
  `<p>Portcullis only accepts its forms from its own pages. Go back to the application and start again.</p>` +
  `<p><a href="/">Portcullis home</a></p></body></html>`;

export const config = {
  // Everything Next serves but the protocol endpoints, which set their headers in lib/oidc/routes.ts
  // (404s, static assets and redirects under /connect and /.well-known included).
  matcher: [
    "/((?!connect/(?:token|introspect|revocation|userinfo|authorize|authorize/resume|endsession|endsession/frontchannel)$|\\.well-known/(?:openid-configuration|oauth-authorization-server|jwks\\.json)$).*)",
  ],
};
