/**
 * Rate limits on the authorization, token and introspection endpoints, on sign-in and on the
 * external sign-in routes.
 *
 * Rules:
 * - every request to authorize, token and introspection counts against its client address
 *   before any other work (lib/oidc/routes.ts);
 * - authorize also counts against the client_id it names (it has no client authentication);
 *   token and introspection count against the client or API resource only once it has
 *   authenticated (client-auth/authenticate.ts), so nobody spends another client's allowance by
 *   sending its client_id;
 * - sign-in counts against the address, then the name typed from that address (lib/auth/login.ts):
 *   a name alone is no key, or anyone could use up anyone's sign-ins;
 * - the external sign-in's start, link and callback routes count against the address
 *   (lib/auth/external/handshake.ts): each starts or finishes calls to an upstream provider;
 * - rules are counted in order and a request refused by one is not counted by the next, so
 *   requests refused for their address spend no client's or name's allowance;
 * - public clients are counted by address only: naming one is all its authentication;
 * - over a limit: HTTP 429 with Retry-After (RFC 6585 section 4). RFC 6749 has no error code
 *   for it; the JSON endpoints answer `temporarily_unavailable`, the registered code for an
 *   overloaded server (RFC 6749 4.1.2.1), with the wait in error_description;
 * - a limit of 0 is no limit; the counting itself (memory or database) is the adapter's
 *   (lib/server/rate-limit.ts), this module only decides what is counted and what is answered.
 * @see https://www.rfc-editor.org/rfc/rfc6585#section-4
 */
import type { RateLimitRule } from "./config";
import { rateLimited } from "./errors";
import { errorResponse } from "./http";

export interface RateLimiter {
  /** Counts one request for `key` under `rule`: 0 while within the limit, else the seconds to wait. */
  hit(rule: RateLimitRule, key: string): Promise<number>;
}

export const noRateLimits: RateLimiter = { hit: async () => 0 };

/** Facts about a request that only the server adapter knows (the socket, trusted proxies). */
export interface RequestInfo {
  /** the client's address as the server decided to trust it (PORTCULLIS_TRUST_PROXY) */
  clientIp?: string;
}

const MAX_KEY_LENGTH = 200;

/**
 * The key an address counts under: IPv4-mapped IPv6 as IPv4, other IPv6 addresses by their /64
 * (one subscriber usually holds a whole /64), "unknown" when the adapter could not tell.
 */
export function addressKey(ip: string | undefined): string {
  if (!ip) return "unknown";
  const v = ip
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "")
    .replace(/%.*$/, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v);
  if (mapped) return mapped[1]!;
  if (!v.includes(":")) return v.slice(0, MAX_KEY_LENGTH);
  const [head = "", tail = ""] = v.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = v.includes("::") ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right] : left;
  return (
    groups
      .slice(0, 4)
      .map((g) => g.replace(/^0+(?=.)/, ""))
      .join(":") + "::/64"
  );
}

/** A client or user name as a key: bounded, so a long parameter cannot make a long key. */
export function nameKey(name: string): string {
  return name.slice(0, MAX_KEY_LENGTH);
}

/**
 * Counts the request under each rule in order and stops at the first one over its limit: a
 * request refused by its address's limit spends nothing of a client's or a name's allowance.
 * Returns that rule's wait, else 0.
 */
export async function hitInOrder(limits: RateLimiter, hits: readonly (readonly [RateLimitRule, string])[]): Promise<number> {
  for (const [rule, key] of hits) {
    const wait = await limits.hit(rule, key);
    if (wait > 0) return wait;
  }
  return 0;
}

/** The answer of a JSON endpoint over its limit. */
export function rateLimitedJson(retryAfter: number): Response {
  return errorResponse(rateLimited(retryAfter));
}

/** The answer of a browser navigation (authorize) over its limit: a plain page, no redirect. */
export function rateLimitedPage(retryAfter: number): Response {
  return new Response(`Too many requests. Try again in ${retryAfter} seconds.\n`, {
    status: 429,
    headers: { "Content-Type": "text/plain;charset=UTF-8", "Cache-Control": "no-store", "Retry-After": String(retryAfter) },
  });
}
