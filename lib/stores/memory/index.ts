/** In-memory Stores for tests of the protocol core; passes the same suite as the Prisma stores. */
import type { AuditEventInput, ClientRecord, ApiResourceRecord, GrantRecord, IdentityResourceRecord, SigningKeyRecord, Stores } from "../../oidc/ports";
import { KeyGenerationTaken } from "../../oidc/ports";

export interface MemoryStores extends Stores {
  data: {
    clients: Map<string, ClientRecord>;
    apiResources: ApiResourceRecord[];
    identityResources: IdentityResourceRecord[];
    grants: Map<string, GrantRecord>;
    keys: SigningKeyRecord[];
    audit: AuditEventInput[];
  };
}

export function createMemoryStores(now: () => number = Date.now): MemoryStores {
  const data: MemoryStores["data"] = { clients: new Map(), apiResources: [], identityResources: [], grants: new Map(), keys: [], audit: [] };
  const replay = new Map<string, number>();
  const clone = <T>(v: T): T => structuredClone(v);
  return {
    data,
    clients: { findClient: async (id) => clone(data.clients.get(id) ?? null) },
    resources: {
      listApiResources: async () => clone(data.apiResources),
      listIdentityResources: async () => clone(data.identityResources),
    },
    grants: {
      saveGrant: async (g) => {
        if (data.grants.has(g.key)) throw new Error("duplicate grant key");
        data.grants.set(g.key, clone(g));
      },
      findGrant: async (key) => clone(data.grants.get(key) ?? null),
      removeGrant: async (key) => { data.grants.delete(key); },
    },
    replay: {
      useOnce: async (key, expiresAt) => {
        const seen = replay.get(key);
        if (seen !== undefined && seen > now()) return false;
        replay.set(key, expiresAt.getTime());
        return true;
      },
    },
    keys: {
      listKeys: async () => clone(data.keys).sort((a, b) => a.alg.localeCompare(b.alg) || a.generation - b.generation),
      addKey: async (k) => {
        if (data.keys.some((x) => x.alg === k.alg && x.generation === k.generation)) throw new KeyGenerationTaken(`${k.alg} ${k.generation}`);
        data.keys.push(clone(k));
      },
      removeKeys: async (kids) => { data.keys = data.keys.filter((k) => !kids.includes(k.kid)); },
    },
    audit: { record: async (e) => { data.audit.push(clone(e)); } },
  };
}
