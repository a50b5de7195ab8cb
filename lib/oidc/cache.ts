import type { ConfigCache } from "./context";
import type { ApiResourceRecord, IdentityResourceRecord, Stores } from "./ports";

interface Entry<T> {
  value: Promise<T>;
  loadedAt: number;
}

/**
 * A TTL cache in front of the client, resource and user stores, so the token endpoint needs no
 * database round trip for configuration.
 *
 * Rules:
 * - unknown ids are cached too (as null), so guessing ids cannot turn every request into a query;
 *   a keyed cache is emptied when it reaches its size limit;
 * - every read first pokes the change feed (beforeRead), so other instances' changes arrive
 *   within about a second; this instance drops everything at once through invalidate();
 * - a failed load is not cached.
 */
export function createConfigCache(stores: Stores, ttlSeconds: number, now: () => number, beforeRead: () => void = () => {}): ConfigCache {
  const ttl = ttlSeconds * 1000;
  const fresh = <T>(e: Entry<T> | null | undefined): e is Entry<T> => !!e && now() - e.loadedAt < ttl;

  /** One cached value, loaded again when stale. */
  function single<T>(load: () => Promise<T>) {
    let entry: Entry<T> | null = null;
    return {
      get(): Promise<T> {
        beforeRead();
        if (!fresh(entry)) {
          const loading: Entry<T> = { value: load(), loadedAt: now() };
          loading.value.catch(() => {
            if (entry === loading) entry = null;
          });
          entry = loading;
        }
        return entry.value;
      },
      clear() {
        entry = null;
      },
    };
  }

  /** Values by key, each loaded again when stale. */
  function keyed<T>(load: (key: string) => Promise<T>, max: number) {
    let entries = new Map<string, Entry<T>>();
    return {
      get(key: string): Promise<T> {
        beforeRead();
        const hit = entries.get(key);
        if (fresh(hit)) return hit.value;
        if (entries.size >= max) entries = new Map();
        const loading: Entry<T> = { value: load(key), loadedAt: now() };
        loading.value.catch(() => {
          if (entries.get(key) === loading) entries.delete(key);
        });
        entries.set(key, loading);
        return loading.value;
      },
      clear() {
        entries = new Map();
      },
    };
  }

  const clients = keyed((id) => stores.clients.findClient(id), 10_000);
  const users = keyed((id) => stores.users.findUser(id), 50_000);
  const apis = single<ApiResourceRecord[]>(() => stores.resources.listApiResources());
  const identities = single<IdentityResourceRecord[]>(() => stores.resources.listIdentityResources());

  return {
    client: clients.get,
    user: users.get,
    apiResources: apis.get,
    identityResources: identities.get,
    invalidate() {
      for (const c of [clients, users, apis, identities]) c.clear();
    },
  };
}
