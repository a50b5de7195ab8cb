/** One suite every Stores implementation must pass. */
import { describe, expect, it } from "vitest";
import { KeyGenerationTaken, type SigningKeyRecord, type Stores } from "@/lib/oidc/ports";

export interface StoreFixture {
  stores: Stores;
  /** puts a client, with one secret hash, and an API resource with two scopes into the store */
  addClientAndApi(): Promise<void>;
}

const key = (generation: number, alg: SigningKeyRecord["alg"] = "RS256"): SigningKeyRecord => ({
  kid: `${alg}-${generation}-${Math.random().toString(36).slice(2)}`,
  alg,
  generation,
  publicJwk: { kty: "RSA", n: "x", e: "AQAB" },
  privateKey: "v1.sealed",
  createdAt: new Date("2026-01-01T00:00:00Z"),
  activatesAt: new Date("2026-01-02T00:00:00Z"),
});

export function storeSuite(name: string, fixture: () => Promise<StoreFixture>) {
  describe(`${name} stores`, () => {
    it("finds clients with their secrets and lists API resources with scopes", async () => {
      const f = await fixture();
      await f.addClientAndApi();
      const client = await f.stores.clients.findClient("suite-client");
      expect(client).toMatchObject({
        clientId: "suite-client",
        enabled: true,
        grantTypes: ["client_credentials"],
        allowedScopes: ["suite.read"],
      });
      expect(client!.secrets).toHaveLength(1);
      expect(await f.stores.clients.findClient("nobody")).toBeNull();
      const apis = await f.stores.resources.listApiResources();
      expect(
        apis
          .find((a) => a.name === "https://suite.example")
          ?.scopes.map((s) => s.name)
          .sort(),
      ).toEqual(["suite.read", "suite.write"]);
    });

    it("saves, finds and removes grants", async () => {
      const { stores } = await fixture();
      const grant = {
        key: "k1",
        type: "reference_token",
        clientId: "c",
        subjectId: "s",
        familyId: null,
        data: { scope: "a b", n: 1 },
        expiresAt: new Date("2030-01-01T00:00:00Z"),
        consumedAt: null,
      };
      await stores.grants.saveGrant(grant);
      expect(await stores.grants.findGrant("k1")).toEqual(grant);
      await expect(stores.grants.saveGrant(grant)).rejects.toThrow();
      await stores.grants.removeGrant("k1");
      expect(await stores.grants.findGrant("k1")).toBeNull();
      await stores.grants.removeGrant("k1");
    });

    it("decides a device's poll in one conditional update: one of concurrent polls goes on, the others slow down", async () => {
      const { stores } = await fixture();
      const t0 = new Date("2030-01-01T00:00:00Z");
      const at = (s: number) => new Date(t0.getTime() + s * 1000);
      const device = {
        key: "device:1",
        type: "device_code",
        clientId: "c",
        subjectId: null,
        familyId: null,
        data: { userCodeKey: "user_code:1" },
        expiresAt: at(600),
        consumedAt: null,
        pollInterval: 5,
      };
      await stores.grants.saveGrant(device);
      expect(await stores.grants.findGrant("device:1")).toEqual(device);
      const first = await Promise.all([1, 2, 3].map(() => stores.grants.pollGrant("device:1", t0, at(5), 5)));
      expect(first.filter((d) => d === "poll")).toHaveLength(1);
      expect(first.filter((d) => d === "slow_down")).toHaveLength(2);
      // two slow_downs: the interval grew by 10 s, the next poll waits the new interval
      expect((await stores.grants.findGrant("device:1"))!.pollInterval).toBe(15);
      expect(await stores.grants.pollGrant("device:1", at(14), at(29), 5)).toBe("slow_down");
      expect((await stores.grants.findGrant("device:1"))!.pollInterval).toBe(20);
      expect(await stores.grants.pollGrant("device:1", at(34), at(54), 5)).toBe("poll");
      expect(await stores.grants.consumeGrant("device:1", at(35))).toBe(true);
      expect(await stores.grants.pollGrant("device:1", at(60), at(80), 5)).toBe("gone");
      expect(await stores.grants.pollGrant("device:none", at(60), at(80), 5)).toBe("gone");
      // other grants carry no interval
      await stores.grants.saveGrant({ ...device, key: "code:1", type: "authorization_code", pollInterval: undefined });
      expect((await stores.grants.findGrant("code:1"))!.pollInterval).toBeUndefined();
    });

    it("reports a replayed identifier, and frees an expired one", async () => {
      const { stores } = await fixture();
      const later = new Date(Date.now() + 60_000);
      expect(await stores.replay.useOnce("jti-1", later)).toBe(true);
      expect(await stores.replay.useOnce("jti-1", later)).toBe(false);
      const results = await Promise.all([1, 2, 3].map(() => stores.replay.useOnce("jti-2", later)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await stores.replay.useOnce("jti-3", new Date(Date.now() - 1000))).toBe(true);
      expect(await stores.replay.useOnce("jti-3", later)).toBe(true);
    });

    it("keeps one key per algorithm and generation", async () => {
      const { stores } = await fixture();
      const first = key(1);
      await stores.keys.addKey(first);
      await stores.keys.addKey(key(1, "ES256"));
      await expect(stores.keys.addKey(key(1))).rejects.toBeInstanceOf(KeyGenerationTaken);
      const listed = await stores.keys.listKeys();
      expect(listed.find((k) => k.kid === first.kid)).toEqual(first);
      await stores.keys.removeKeys([first.kid]);
      expect((await stores.keys.listKeys()).map((k) => k.alg)).toEqual(["ES256"]);
    });

    it("moves the keys counter of the change feed when keys change", async () => {
      const { stores } = await fixture();
      const before = await stores.changes.versions();
      const k = key(7);
      await stores.keys.addKey(k);
      const added = await stores.changes.versions();
      expect(added.keys).toBeGreaterThan(before.keys);
      await stores.keys.removeKeys([k.kid]);
      expect((await stores.changes.versions()).keys).toBeGreaterThan(added.keys);
    });

    it("keeps token revocations until they expire, the later expiry winning, and moves the revocations counter", async () => {
      const { stores } = await fixture();
      const before = (await stores.changes.versions()).revocations;
      const now = new Date();
      const soon = new Date(now.getTime() + 60_000);
      const later = new Date(now.getTime() + 3_600_000);
      await stores.revocations.revoke([
        { key: "jti:a", expiresAt: soon },
        { key: "family:f", expiresAt: later },
      ]);
      await Promise.all([
        stores.revocations.revoke([{ key: "jti:a", expiresAt: later }]),
        stores.revocations.revoke([{ key: "jti:a", expiresAt: later }]),
      ]);
      await stores.revocations.revoke([{ key: "jti:old", expiresAt: new Date(now.getTime() - 1000) }]);
      expect((await stores.revocations.activeRevocations(now)).sort()).toEqual(["family:f", "jti:a"]);
      expect(await stores.revocations.activeRevocations(new Date(soon.getTime() + 1000))).toContain("jti:a");
      expect(await stores.revocations.activeRevocations(new Date(later.getTime() + 1000))).toEqual([]);
      expect((await stores.changes.versions()).revocations).toBeGreaterThan(before);
    });

    it("records audit events", async () => {
      const { stores } = await fixture();
      await expect(stores.audit.record({ type: "test_event", clientId: "c", details: { a: 1 } })).resolves.toBeUndefined();
    });
  });
}
