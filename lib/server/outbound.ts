/**
 * Requests to URLs that clients registered (back-channel logout), guarded against server-side
 * request forgery.
 *
 * Rules:
 * - https only; http only when private addresses are allowed (development and tests);
 * - the host is resolved once and EVERY address it resolves to is checked: loopback, private
 *   (RFC 1918, fc00::/7), link-local, unspecified, multicast, CGNAT (100.64.0.0/10), benchmarking,
 *   documentation and reserved ranges, and IPv4-mapped IPv6 forms of them, are refused unless
 *   `allowPrivate` (PORTCULLIS_ALLOW_PRIVATE_LOGOUT_URIS);
 * - the connection goes to an address that was checked (the socket's lookup answers with them),
 *   so a second DNS answer cannot swap in another (no rebinding window); TLS still verifies the
 *   URL's host name;
 * - one deadline covers connect, request and response (timeoutMs); the response body is read up
 *   to maxBytes and the request aborted past it; redirects are never followed (a 3xx is an answer
 *   like any other, and not a success).
 */
import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";

export interface OutboundOptions {
  allowPrivate: boolean;
  timeoutMs: number;
  maxBytes: number;
  /** DNS resolution (tests answer for made-up names) */
  resolve?: (host: string) => Promise<{ address: string; family: number }[]>;
}

export interface OutboundResponse {
  status: number;
  body: string;
}

export class OutboundRefused extends Error {
  override readonly name = "OutboundRefused";
}

const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  blocked.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  // IPv4-compatible (deprecated) and 6to4 addresses embed an IPv4 address, private ones included
  ["::", 96],
  ["2002::", 16],
  ["64:ff9b::", 96],
  ["100::", 64],
  ["2001:db8::", 32],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const)
  blocked.addSubnet(net, prefix, "ipv6");

/** Whether an address is one an outbound request must not reach by default. */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, "ipv4");
  if (family !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1]!, "ipv4");
  return blocked.check(address, "ipv6");
}

const defaultResolve = (host: string) => dnsLookup(host, { all: true, verbatim: true });

/** POSTs `form` (application/x-www-form-urlencoded) to `url` under the rules above. */
export async function postForm(url: string, form: URLSearchParams, o: OutboundOptions): Promise<OutboundResponse> {
  const target = new URL(url);
  if (target.protocol !== "https:" && !(target.protocol === "http:" && o.allowPrivate)) {
    throw new OutboundRefused(`${target.protocol} is not allowed (https only)`);
  }
  const host = target.hostname.replace(/^\[(.*)\]$/, "$1");
  const deadline = AbortSignal.timeout(o.timeoutMs);
  const addresses = isIP(host)
    ? [{ address: host, family: isIP(host) }]
    : await Promise.race([
        (o.resolve ?? defaultResolve)(host),
        new Promise<never>((_, reject) =>
          deadline.addEventListener("abort", () => reject(new OutboundRefused(`no answer within ${o.timeoutMs} ms`))),
        ),
      ]);
  if (!addresses.length) throw new OutboundRefused(`${host} does not resolve`);
  const refused = addresses.find((a) => isNonPublicAddress(a.address));
  if (refused && !o.allowPrivate) throw new OutboundRefused(`${host} resolves to a non-public address (${refused.address})`);
  // The socket may only use the addresses just checked (all of them, for Happy Eyeballs).
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };
  const body = form.toString();
  const client = target.protocol === "https:" ? https : http;
  return new Promise<OutboundResponse>((resolve, reject) => {
    const req = client.request(
      target,
      {
        method: "POST",
        lookup: pinned,
        signal: deadline,
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "Content-Length": Buffer.byteLength(body),
          Accept: "*/*",
          "User-Agent": "Portcullis",
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > o.maxBytes) {
            reject(new OutboundRefused(`response body over ${o.maxBytes} bytes`));
            res.destroy();
            req.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", (err) => reject(deadline.aborted ? new OutboundRefused(`no answer within ${o.timeoutMs} ms`) : err));
    req.end(body);
  });
}
