import type { ConfigCache } from "./context";
import type { ApiResourceRecord, ClientRecord, IdentityResourceRecord, Stores, UserRecord } from "./ports";

interface Entry<T> { value: Promise<T>; loadedAt: number }

/**
 * A TTL cache in front of the client and resource stores, so the token endpoint needs no
 * database round trip for configuration. Unknown client ids are cached too (as null), so
 * guessing ids cannot turn every request into a query. Other instances see a change within
 * the TTL; this instance at once through invalidate().
 */
export function createConfigCache(stores: Stores, ttlSeconds: number, now: () => number, beforeRead: () => void = () => {}): ConfigCache {
  const ttl = ttlSeconds * 1000;
  const MAX_CLIENTS = 10_000;
  const MAX_USERS = 50_000;
  let clients = new Map<string, Entry<ClientRecord | null>>();
  let users = new Map<string, Entry<UserRecord | null>>();
  let apis: Entry<ApiResourceRecord[]> | null = null;
  let identities: Entry<IdentityResourceRecord[]> | null = null;

  function fresh<T>(e: Entry<T> | null | undefined): e is Entry<T> {
    return !!e && now() - e.loadedAt < ttl;
  }
  function load<T>(fn: () => Promise<T>): Entry<T> {
    const entry: Entry<T> = { value: fn(), loadedAt: now() };
    return entry;
  }

  return {
    client(clientId) {
      beforeRead();
      const hit = clients.get(clientId);
      if (fresh(hit)) return hit.value;
      if (clients.size >= MAX_CLIENTS) clients = new Map();
      const entry = load(() => stores.clients.findClient(clientId));
      entry.value.catch(() => clients.delete(clientId));
      clients.set(clientId, entry);
      return entry.value;
    },
    user(userId) {
      beforeRead();
      const hit = users.get(userId);
      if (fresh(hit)) return hit.value;
      if (users.size >= MAX_USERS) users = new Map();
      const entry = load(() => stores.users.findUser(userId));
      entry.value.catch(() => users.delete(userId));
      users.set(userId, entry);
      return entry.value;
    },
    apiResources() {
      beforeRead();
      if (!fresh(apis)) {
        const entry = load(() => stores.resources.listApiResources());
        entry.value.catch(() => { if (apis === entry) apis = null; });
        apis = entry;
      }
      return apis.value;
    },
    identityResources() {
      if (!fresh(identities)) {
        const entry = load(() => stores.resources.listIdentityResources());
        entry.value.catch(() => { if (identities === entry) identities = null; });
        identities = entry;
      }
      return identities.value;
    },
    invalidate() {
      clients = new Map();
      users = new Map();
      apis = null;
      identities = null;
    },
  };
}
