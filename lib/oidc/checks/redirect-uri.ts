/**
 * Redirect URI matching (RFC 6749 3.1.2.3, RFC 8252 7.3, OAuth 2.0 Security BCP 4.1.3).
 *
 * Rules:
 * - a redirect_uri matches a registered one by exact string comparison;
 * - except for native clients' loopback redirects (http, host 127.0.0.1, [::1] or localhost): the
 *   port may be any, since the app picks a free one at the time of the request; scheme, host,
 *   path and query must still match exactly, and the presented URI must be in canonical form.
 */
import type { ClientRecord } from "../ports";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);

/**
 * The URI with its port removed, when it is a loopback http URI; null otherwise. A presented URI
 * must already be in the WHATWG URL parser's canonical form (`\\` in the authority, 127.1,
 * 0x7f.0.0.1, LOCALHOST, [0:0:0:0:0:0:0:1] or a tab all change it), so what is compared is what the
 * browser will be sent to.
 */
function loopbackWithoutPort(uri: string, canonical: boolean): string | null {
  if (!URL.canParse(uri)) return null;
  const url = new URL(uri);
  if (url.protocol !== "http:" || !LOOPBACK_HOSTS.has(url.hostname) || url.username || url.password || url.hash) return null;
  if (canonical && url.href !== uri && url.href !== uri + "/") return null;
  url.port = "";
  return url.href;
}

export function redirectUriAllowed(client: Pick<ClientRecord, "redirectUris" | "applicationType">, uri: string): boolean {
  if (client.redirectUris.includes(uri)) return true;
  if (client.applicationType !== "native") return false;
  const presented = loopbackWithoutPort(uri, true);
  return presented !== null && client.redirectUris.some((registered) => loopbackWithoutPort(registered, false) === presented);
}
