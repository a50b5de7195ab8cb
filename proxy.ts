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
 * - a form POST to a page from another origin (a forged login, consent or console form) gets a
 *   403 page here, before Next's own action check would answer it with a 500.
 */
import { NextResponse, type NextRequest } from "next/server";
import { Cookies } from "@/lib/oidc";
import { pageSecurityHeaders } from "@/lib/oidc";
import { env } from "@/lib/env";

export function proxy(req: NextRequest) {
  const { issuer } = env();
  const nonce = btoa(crypto.randomUUID());
  const headers = pageSecurityHeaders(issuer, nonce);
  if (!decodable(req.nextUrl.pathname)) {
    return new NextResponse("Not Found", { status: 404, headers: { ...headers, "Content-Type": "text/plain; charset=utf-8" } });
  }
  if (req.method === "POST" && !req.nextUrl.pathname.startsWith("/api/") && isCrossOrigin(req, issuer)) {
    return new NextResponse(FORBIDDEN_PAGE, { status: 403, headers: { ...headers, "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
  }
  const requestHeaders = new Headers(req.headers);
  requestHeaders.set("Content-Security-Policy", headers["Content-Security-Policy"]!);
  let csrf: string | null = null;
  if (!req.cookies.get(Cookies.csrf)) {
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

/** A browser's POST names its page's origin; "null" (sandboxed or opaque) is never ours. */
function isCrossOrigin(req: NextRequest, issuer: string): boolean {
  const origin = req.headers.get("origin");
  if (origin === null) return false; // not a browser form: the form's CSRF token still decides
  if (origin === new URL(issuer).origin) return false;
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  return !host || origin === "null" || !URL.canParse(origin) || new URL(origin).host !== host;
}

const FORBIDDEN_PAGE = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<title>Request refused · Portcullis</title></head><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#0f172a">` +
  `<h1 style="font-size:1.25rem">This form was sent from another site</h1>` +
  `<p>Portcullis only accepts its forms from its own pages. Go back to the application and start again.</p>` +
  `<p><a href="/">Portcullis home</a></p></body></html>`;

export const config = {
  // Everything but protocol endpoints and build assets.
  matcher: ["/((?!connect/|\\.well-known/|_next/static|_next/image|favicon\\.ico).*)"],
};
