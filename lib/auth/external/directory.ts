/**
 * The configured providers as the handshake and the login page read them, cached.
 *
 * Rules:
 * - the list (secrets unsealed) is read from the store at most once per `ttlMs`;
 * - at most once per `checkIntervalMs` a request compares the store's change version with the
 *   cached one and reloads on a difference, so a change made on any instance is seen within
 *   about a second; `invalidate()` drops the cache at once (changes made in this process);
 * - each provider entry has its own bounded fetch (with its discovery cache) and its own JWKS
 *   cache; both go when the provider changes.
 */
import type { JWTVerifyGetKey } from "jose";
import { createBoundedFetch, type UpstreamFetch } from "./fetch";
import { ExternalSignInError } from "./errors";
import { remoteKeys } from "./identity";
import type { IdentityProviderStore } from "./ports";
import { resolveProvider, type ResolvedProvider } from "./settings";

export interface ProviderEntry {
  provider: ResolvedProvider;
  fetch: UpstreamFetch;
  /** oidc: the provider's discovery document (cached) */
  discovery(): Promise<Record<string, unknown>>;
  /** oidc: the provider's signing keys (cached by jose, refetched on an unknown kid) */
  keys(): Promise<JWTVerifyGetKey>;
}

export interface ProviderDirectory {
  get(id: string): Promise<ProviderEntry | null>;
  list(): Promise<ProviderEntry[]>;
  invalidate(): void;
}

export interface DirectoryOptions {
  store: IdentityProviderStore;
  now: () => number;
  ttlMs: number;
  checkIntervalMs?: number;
  timeoutMs: number;
  maxBytes: number;
  /** the fetch under the bounded one (tests) */
  fetch?: typeof fetch;
}

const DISCOVERY_TTL_MS = 10 * 60_000;

export function createProviderDirectory(o: DirectoryOptions): ProviderDirectory {
  const checkInterval = o.checkIntervalMs ?? 1000;
  let cache: { entries: Map<string, ProviderEntry>; version: number; loadedAt: number; checkedAt: number } | null = null;
  let loading: Promise<Map<string, ProviderEntry>> | null = null;

  function entry(provider: ResolvedProvider): ProviderEntry {
    const fetchUpstream = createBoundedFetch({
      timeoutMs: o.timeoutMs,
      maxBytes: o.maxBytes,
      discoveryTtlMs: DISCOVERY_TTL_MS,
      now: o.now,
      fetch: o.fetch,
    });
    let keys: JWTVerifyGetKey | null = null;
    const discovery = async () => {
      if (!provider.issuer) throw new ExternalSignInError("server_error", `provider ${provider.id} has no issuer`);
      const res = await fetchUpstream(`${provider.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`, {
        headers: { accept: "application/json" },
      });
      if (res.status !== 200)
        throw new ExternalSignInError("upstream_unavailable", `discovery of ${provider.issuer} answered ${res.status}`);
      return (await res.json()) as Record<string, unknown>;
    };
    return {
      provider,
      fetch: fetchUpstream,
      discovery,
      async keys() {
        if (keys) return keys;
        const uri = (await discovery()).jwks_uri;
        if (typeof uri !== "string") throw new ExternalSignInError("token_rejected", `discovery of ${provider.issuer} has no jwks_uri`);
        keys = remoteKeys(uri, fetchUpstream, o.timeoutMs);
        return keys;
      },
    };
  }

  async function load(): Promise<Map<string, ProviderEntry>> {
    const version = await o.store.version();
    const records = await o.store.listProviders();
    const previous = cache?.entries;
    const entries = new Map<string, ProviderEntry>();
    for (const r of records) {
      const resolved = resolveProvider(r);
      const kept = previous?.get(r.id);
      // An unchanged provider keeps its discovery and JWKS caches.
      entries.set(r.id, kept && kept.provider.updatedAt.getTime() === r.updatedAt.getTime() ? kept : entry(resolved));
    }
    const at = o.now();
    cache = { entries, version, loadedAt: at, checkedAt: at };
    return entries;
  }

  async function current(): Promise<Map<string, ProviderEntry>> {
    const now = o.now();
    if (cache && now - cache.loadedAt < o.ttlMs) {
      if (now - cache.checkedAt < checkInterval) return cache.entries;
      cache.checkedAt = now;
      if ((await o.store.version()) === cache.version) return cache.entries;
    }
    loading ??= load().finally(() => {
      loading = null;
    });
    return loading;
  }

  return {
    async get(id) {
      return (await current()).get(id) ?? null;
    },
    async list() {
      return [...(await current()).values()];
    },
    invalidate() {
      cache = null;
    },
  };
}
