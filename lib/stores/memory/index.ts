/** In-memory Stores for tests of the protocol core; passes the same suite as the Prisma stores. */
import type {
  AuditEventInput,
  ClientRecord,
  ApiResourceRecord,
  GrantRecord,
  IdentityResourceRecord,
  SessionRecord,
  SigningKeyRecord,
  Stores,
  UserRecord,
} from "../../oidc";
import { KeyGenerationTaken } from "../../oidc";

export interface MemoryStores extends Stores {
  data: {
    clients: Map<string, ClientRecord>;
    apiResources: ApiResourceRecord[];
    identityResources: IdentityResourceRecord[];
    grants: Map<string, GrantRecord>;
    keys: SigningKeyRecord[];
    audit: AuditEventInput[];
    users: Map<string, UserRecord>;
    sessions: Map<string, SessionRecord & { key: string }>;
  };
}

function withoutKey(s: SessionRecord & { key: string }): SessionRecord {
  const { key: _key, ...rest } = structuredClone(s);
  return rest;
}

export function createMemoryStores(now: () => number = Date.now): MemoryStores {
  const data: MemoryStores["data"] = {
    clients: new Map(),
    apiResources: [],
    identityResources: [],
    grants: new Map(),
    keys: [],
    audit: [],
    users: new Map(),
    sessions: new Map(),
  };
  const replay = new Map<string, number>();
  /** device codes' next poll times (GrantStore.pollGrant), by key */
  const nextPoll = new Map<string, number>();
  const clone = <T>(v: T): T => structuredClone(v);
  const versions = { config: 0, keys: 0, revocations: 0 };
  const revoked = new Map<string, number>();
  return {
    data,
    changes: { versions: async () => ({ ...versions }) },
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
      removeGrant: async (key) => {
        data.grants.delete(key);
      },
      consumeGrant: async (key, at, newData) => {
        const g = data.grants.get(key);
        if (!g || g.consumedAt) return false;
        g.consumedAt = at;
        if (newData) g.data = clone(newData);
        return true;
      },
      pollGrant: async (key, at, next, penalty) => {
        const g = data.grants.get(key);
        if (!g || g.consumedAt) return "gone";
        const due = nextPoll.get(key);
        if (due === undefined || due <= at.getTime()) {
          nextPoll.set(key, next.getTime());
          return "poll";
        }
        g.pollInterval = (g.pollInterval ?? 0) + penalty;
        nextPoll.set(key, at.getTime() + g.pollInterval * 1000);
        return "slow_down";
      },
      removeFamily: async (familyId) => {
        let n = 0;
        for (const [k, g] of data.grants)
          if (g.familyId === familyId) {
            data.grants.delete(k);
            n++;
          }
        return n;
      },
    },
    users: { findUser: async (id) => clone(data.users.get(id) ?? null) },
    sessions: {
      findSessionByKey: async (key) => {
        const s = [...data.sessions.values()].find((x) => x.key === key);
        return s ? withoutKey(s) : null;
      },
      findSession: async (id) => {
        const s = data.sessions.get(id);
        return s ? withoutKey(s) : null;
      },
      createSession: async (input) => {
        const s = {
          id: crypto.randomUUID(),
          key: input.key,
          userId: input.userId,
          authTime: input.authTime,
          amr: input.amr,
          idp: input.idp ?? null,
          clients: [],
          expiresAt: input.expiresAt,
          revokedAt: null,
          lastSeenAt: input.authTime,
        };
        data.sessions.set(s.id, s);
        return withoutKey(s);
      },
      addClient: async (id, clientId) => {
        const s = data.sessions.get(id);
        if (s && !s.clients.includes(clientId)) s.clients.push(clientId);
      },
      revokeSession: async (id, at) => {
        const s = data.sessions.get(id);
        if (s && !s.revokedAt) s.revokedAt = at;
      },
      touchSession: async (id, at, before) => {
        const s = data.sessions.get(id);
        if (s && s.lastSeenAt < before) s.lastSeenAt = at;
      },
      upgradeSession: async (id, amr, authTime) => {
        const s = data.sessions.get(id);
        if (!s || s.revokedAt) return false;
        s.amr = [...amr];
        s.authTime = authTime;
        return true;
      },
    },
    replay: {
      useOnce: async (key, expiresAt) => {
        const seen = replay.get(key);
        if (seen !== undefined && seen > now()) return false;
        replay.set(key, expiresAt.getTime());
        return true;
      },
    },
    revocations: {
      revoke: async (entries) => {
        for (const e of entries) revoked.set(e.key, Math.max(revoked.get(e.key) ?? 0, e.expiresAt.getTime()));
        versions.revocations++;
      },
      activeRevocations: async (at) => [...revoked].filter(([, exp]) => exp > at.getTime()).map(([k]) => k),
    },
    keys: {
      listKeys: async () => clone(data.keys).sort((a, b) => a.alg.localeCompare(b.alg) || a.generation - b.generation),
      addKey: async (k) => {
        if (data.keys.some((x) => x.alg === k.alg && x.generation === k.generation))
          throw new KeyGenerationTaken(`${k.alg} ${k.generation}`);
        data.keys.push(clone(k));
        versions.keys++;
      },
      removeKeys: async (kids) => {
        data.keys = data.keys.filter((k) => !kids.includes(k.kid));
        versions.keys++;
      },
    },
    audit: {
      record: async (e) => {
        data.audit.push(clone(e));
      },
    },
  };
}
