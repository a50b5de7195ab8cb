/**
 * The security headers of every response, pages and protocol endpoints alike (one list, so the
 * fast server and Next cannot drift).
 *
 * Rules:
 * - nosniff, no framing (X-Frame-Options and frame-ancestors), Referrer-Policy same-origin (not
 *   no-referrer: Chromium then sends `Origin: null` on form posts, which fails the Origin check),
 *   a Permissions-Policy that denies camera, microphone and geolocation;
 * - HSTS (one year, subdomains) when the issuer is https;
 * - pages: a CSP whose script-src allows only this origin and scripts carrying the request's
 *   nonce, never 'unsafe-inline'; protocol responses: a CSP that allows nothing, unless the
 *   endpoint set its own (the form_post page pins its one script by hash).
 */

const BASE: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "same-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
};

const HSTS = "max-age=31536000; includeSubDomains";

/**
 * What a route marked `cors` in routes.ts (discovery, JWKS, token, revocation, userinfo) adds:
 * any origin may call it, since no cookie or ambient credential is involved.
 */
export const CORS_HEADERS: Readonly<Record<string, string>> = { "Access-Control-Allow-Origin": "*" };

/** The Content-Security-Policy of a portal page rendered with `nonce`. */
export function pageCsp(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    // Inline style attributes come from React; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    // Forms post to this origin; the form_post response mode posts to the client (its own CSP).
    "form-action 'self' http: https:",
    "base-uri 'none'",
    "object-src 'none'",
  ].join("; ");
}

export const PROTOCOL_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Headers for a portal page. */
export function pageSecurityHeaders(issuer: string, nonce: string): Record<string, string> {
  return {
    ...BASE,
    ...(issuer.startsWith("https:") ? { "Strict-Transport-Security": HSTS } : {}),
    "Content-Security-Policy": pageCsp(nonce),
  };
}

/** Headers for a protocol response (JSON, redirects); a CSP the endpoint set is kept. */
export function protocolSecurityHeaders(issuer: string): Record<string, string> {
  return {
    ...BASE,
    ...(issuer.startsWith("https:") ? { "Strict-Transport-Security": HSTS } : {}),
    "Content-Security-Policy": PROTOCOL_CSP,
  };
}

/** Adds the protocol headers to a Response in place, keeping a CSP it already has. */
export function withProtocolSecurityHeaders(res: Response, issuer: string): Response {
  for (const [k, v] of Object.entries(protocolSecurityHeaders(issuer))) {
    if (k === "Content-Security-Policy" && res.headers.has(k)) continue;
    res.headers.set(k, v);
  }
  return res;
}
