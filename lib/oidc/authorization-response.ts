/**
 * Sends the authorization response to the client (RFC 6749 4.1.2, OAuth 2.0 Multiple Response
 * Types, Form Post Response Mode), always with iss (RFC 9207).
 */
import type { ResponseMode } from "./constants";

const FORM_POST_CSP = "default-src 'none'; script-src 'sha256-{hash}'; form-action *; frame-ancestors 'none'; base-uri 'none'";
const SUBMIT_SCRIPT = "document.forms[0].submit()";

export async function authorizationResponse(
  target: { redirectUri: string; responseMode: ResponseMode },
  params: Record<string, string | undefined>,
  headers: Record<string, string> = {},
): Promise<Response> {
  const entries = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined);
  if (target.responseMode === "form_post") {
    const hash = await scriptHash(SUBMIT_SCRIPT);
    const inputs = entries.map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join("");
    const html =
      `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Continue</title></head><body>` +
      `<form method="post" action="${escapeHtml(target.redirectUri)}">${inputs}<noscript><button type="submit">Continue</button></noscript></form>` +
      `<script>${SUBMIT_SCRIPT}</script></body></html>`;
    return new Response(html, {
      status: 200,
      headers: {
        "Content-Type": "text/html;charset=utf-8",
        "Cache-Control": "no-store",
        "Content-Security-Policy": FORM_POST_CSP.replace("{hash}", hash),
        ...headers,
      },
    });
  }
  const url = new URL(target.redirectUri);
  const encoded = new URLSearchParams(entries);
  if (target.responseMode === "fragment") url.hash = encoded.toString();
  else for (const [k, v] of entries) url.searchParams.append(k, v);
  return redirect(url.toString(), headers);
}

export function redirect(location: string, headers: Record<string, string> | Headers = {}): Response {
  const h = new Headers(headers);
  h.set("Location", location);
  h.set("Cache-Control", "no-store");
  return new Response(null, { status: 303, headers: h });
}

/** The base64 SHA-256 of an inline script, for a CSP that allows exactly it ('sha256-...'). */
export async function scriptHash(script: string): Promise<string> {
  return btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(script)))));
}

export function escapeHtml(v: string): string {
  return v.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}
