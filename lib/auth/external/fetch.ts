/**
 * The only way Portcullis calls an upstream provider (discovery, JWKS, token, userinfo).
 *
 * Rules:
 * - every call ends within `timeoutMs`, the body included (AbortSignal.timeout);
 * - a response body larger than `maxBytes` is refused, by its Content-Length or while it is read;
 * - discovery documents are kept for `discoveryTtlMs` (they are read at the start and at the
 *   callback of every sign-in), per URL, successful answers only.
 */
import { readBytesLimited } from "../../oidc";
export class UpstreamUnavailable extends Error {
  override readonly name = "UpstreamUnavailable";
}

export class UpstreamResponseTooLarge extends Error {
  override readonly name = "UpstreamResponseTooLarge";
}

export interface BoundedFetchOptions {
  timeoutMs: number;
  maxBytes: number;
  discoveryTtlMs?: number;
  now?: () => number;
  /** the underlying fetch (the global one by default) */
  fetch?: typeof fetch;
}

export type UpstreamFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

const DISCOVERY = "/.well-known/openid-configuration";

export function createBoundedFetch(options: BoundedFetchOptions): UpstreamFetch {
  const base = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const ttl = options.discoveryTtlMs ?? 0;
  const discovery = new Map<string, { at: number; status: number; headers: [string, string][]; body: Uint8Array<ArrayBuffer> }>();

  async function call(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const url = input instanceof Request ? input.url : String(input);
    const signal = AbortSignal.any([AbortSignal.timeout(options.timeoutMs), ...(init?.signal ? [init.signal] : [])]);
    let res: Response;
    try {
      res = await base(input, { ...init, signal });
    } catch (err) {
      throw new UpstreamUnavailable(`${new URL(url).host} did not answer: ${reason(err)}`, { cause: err });
    }
    const declared = Number(res.headers.get("content-length") ?? "0");
    if (declared > options.maxBytes) {
      await res.body?.cancel().catch(() => {});
      throw new UpstreamResponseTooLarge(`${new URL(url).host} answered more than ${options.maxBytes} bytes`);
    }
    let body: Uint8Array<ArrayBuffer>;
    try {
      body = await readCapped(res, options.maxBytes);
    } catch (err) {
      if (err instanceof UpstreamResponseTooLarge)
        throw new UpstreamResponseTooLarge(`${new URL(url).host} answered more than ${options.maxBytes} bytes`);
      throw new UpstreamUnavailable(`${new URL(url).host} did not finish its answer: ${reason(err)}`, { cause: err });
    }
    return new Response(res.status === 204 || res.status === 304 ? null : body, {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
    });
  }

  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    if (!ttl || method !== "GET" || !new URL(url).pathname.endsWith(DISCOVERY)) return call(input, init);
    const cached = discovery.get(url);
    if (cached && now() - cached.at < ttl) return new Response(cached.body.slice(), { status: cached.status, headers: cached.headers });
    const res = await call(input, init);
    if (res.status === 200)
      discovery.set(url, { at: now(), status: 200, headers: [...res.headers], body: new Uint8Array(await res.clone().arrayBuffer()) });
    return res;
  };
}

function readCapped(res: Response, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  return readBytesLimited(res.body, maxBytes, () => new UpstreamResponseTooLarge("too large"));
}

function reason(err: unknown): string {
  if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError")) return "timed out";
  const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : "";
  return err instanceof Error ? `${err.message}${cause}` : String(err);
}
