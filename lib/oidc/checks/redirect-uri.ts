/**
 * Redirect URI matching (RFC 6749 3.1.2.3, RFC 8252 7.3, OAuth 2.0 Security BCP 4.1.3).
 *
 * Rules:
 * - a redirect_uri matches a registered one by exact string comparison;
 * - except for native clients' loopback redirects (http, host 127.0.0.1, [::1] or localhost): the
 *   port may be any, since the app picks a free one at the time of the request; scheme, host,
 *   path and query must still match exactly.
 */
import type { ClientRecord } from "../ports";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);

/** The URI without its port, when it is a loopback http URI; null otherwise. */
function loopbackWithoutPort(uri: string): string | null {
  if (!uri.startsWith("http://")) return null;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return null;
  }
  if (!LOOPBACK_HOSTS.has(url.hostname) || url.username || url.password || url.hash) return null;
  // Compare the text after the authority as written, not a normalised form.
  const rest = /^http:\/\/[^/?#]*(.*)$/s.exec(uri)![1];
  return `http://${url.hostname}${rest}`;
}

export function redirectUriAllowed(client: Pick<ClientRecord, "redirectUris" | "applicationType">, uri: string): boolean {
  if (client.redirectUris.includes(uri)) return true;
  if (client.applicationType !== "native") return false;
  const presented = loopbackWithoutPort(uri);
  return presented !== null && client.redirectUris.some((registered) => loopbackWithoutPort(registered) === presented);
}
