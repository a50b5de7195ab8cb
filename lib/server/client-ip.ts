/**
 * Which address a request comes from: what rate limits and sign-in throttling count by, and what
 * sessions and the audit log record.
 *
 * - PORTCULLIS_TRUST_PROXY off (the default): the TCP peer's address. A client-sent
 *   X-Forwarded-For is ignored, so nobody picks the address they are counted under.
 * - on: the LAST X-Forwarded-For entry, the one the nearest proxy appended (entries before it
 *   are whatever the client sent). Use it behind exactly one proxy or load balancer you run.
 * The production server (server/main.ts) decides once per request and rewrites
 * X-Forwarded-For to that single address, so Next's pages and actions read the same one
 * (clientAddressFromHeaders). Under plain `next start` or `next dev` there is no such step:
 * Next fills X-Forwarded-For from the socket only when absent, so the last hop is trusted.
 */
export function decideClientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustProxy: boolean,
): string | undefined {
  if (trustProxy) {
    const last = lastHop(Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor);
    if (last) return last;
  }
  return socketAddress;
}

/** The address of a request that went through the server adapter (or Next's own). */
export function clientAddressFromHeaders(headers: Pick<Headers, "get">): string | undefined {
  return lastHop(headers.get("x-forwarded-for") ?? undefined);
}

function lastHop(header: string | undefined): string | undefined {
  const hops = (header ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  return hops.at(-1)?.slice(0, 100);
}
