import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import type { ThrottleRule } from "@/lib/auth/ports";
import { nameThrottleKeys, throttleDelays, throttleKeys } from "@/lib/auth/throttle";
import { DEFAULT_SIGN_IN_THROTTLE } from "@/lib/oidc/config";
import { createPrismaSignInThrottleStore } from "@/lib/stores/prisma/sign-in-throttle";
import { createPrismaDirectoryStore } from "@/lib/stores/prisma/directory";
import { databaseKinds } from "../helpers/databases";
import { databasePool } from "../helpers/prisma-provider";

const pool = databasePool();
afterAll(() => pool.dropAll());

const T0 = Date.UTC(2026, 0, 1);
const rule: ThrottleRule = { free: 3, delays: [10_000, 20_000, 40_000], forgetAfter: 3_600_000 };

describe("sign-in throttle policy", () => {
  it("doubles the delay from `delay` up to `maxDelay`", () => {
    expect(throttleDelays({ ...DEFAULT_SIGN_IN_THROTTLE, delay: 30, maxDelay: 900 })).toEqual(
      [30, 60, 120, 240, 480, 900].map((s) => s * 1000),
    );
    expect(throttleDelays({ ...DEFAULT_SIGN_IN_THROTTLE, delay: 60, maxDelay: 60 })).toEqual([60_000]);
  });

  it("counts names as typed, case-folded, without storing them, and addresses by /64", () => {
    const a = throttleKeys(DEFAULT_SIGN_IN_THROTTLE, "  Alice ", "2001:db8:1:2:aaaa::1");
    const b = throttleKeys(DEFAULT_SIGN_IN_THROTTLE, "alice", "2001:db8:1:2:bbbb::9");
    expect(a.map((k) => k.key)).toEqual(b.map((k) => k.key));
    expect(a.map((k) => k.counter)).toEqual(["address", "name_and_address", "name"]);
    expect(a.map((k) => k.rule.free)).toEqual([100, 5, 20]);
    expect(a.every((k) => !k.key.includes("alice"))).toBe(true);
    expect(a[1]!.key.startsWith(nameThrottleKeys("ALICE").perAddressPrefix)).toBe(true);
  });
});

for (const kind of databaseKinds) {
  describe(`sign-in throttle store (${kind})`, () => {
    async function store() {
      const database = await pool.create(kind);
      const db = database.track(createDb(database.url));
      return { db, url: database.url, track: database.track, throttle: createPrismaSignInThrottleStore(db) };
    }

    it("lets `free` attempts through, then makes each wait a longer delay that refused attempts do not lengthen", async () => {
      const { throttle } = await store();
      expect(await throttle.claim("k", rule, T0)).toEqual({ allowed: true, failures: 1, blockedUntil: null });
      expect(await throttle.claim("k", rule, T0)).toEqual({ allowed: true, failures: 2, blockedUntil: null });
      expect(await throttle.claim("k", rule, T0)).toEqual({ allowed: true, failures: 3, blockedUntil: T0 + 10_000 });
      expect(await throttle.claim("k", rule, T0 + 9_999)).toEqual({ allowed: false, retryAt: T0 + 10_000 });
      expect(await throttle.claim("k", rule, T0 + 10_000)).toEqual({ allowed: true, failures: 4, blockedUntil: T0 + 30_000 });
      expect(await throttle.claim("k", rule, T0 + 30_000)).toEqual({ allowed: true, failures: 5, blockedUntil: T0 + 70_000 });
      // the last delay repeats
      expect(await throttle.claim("k", rule, T0 + 70_000)).toEqual({ allowed: true, failures: 6, blockedUntil: T0 + 110_000 });
      expect(await throttle.claim("other", rule, T0)).toEqual({ allowed: true, failures: 1, blockedUntil: null });
    });

    it("restarts a counter forgotten after forgetAfter without attempts", async () => {
      const { throttle } = await store();
      for (let i = 0; i < 3; i++) await throttle.claim("k", rule, T0);
      expect(await throttle.claim("k", rule, T0 + 3_600_000)).toEqual({ allowed: true, failures: 1, blockedUntil: null });
    });

    it("takes an attempt back on release, and forgets on clear", async () => {
      const { throttle } = await store();
      for (let i = 0; i < 3; i++) await throttle.claim("k", rule, T0);
      await throttle.release("k", rule);
      // below `free` again: no wait
      expect(await throttle.claim("k", rule, T0 + 1)).toEqual({ allowed: true, failures: 3, blockedUntil: T0 + 10_001 });
      await throttle.clear(["k"]);
      expect(await throttle.claim("k", rule, T0 + 2)).toEqual({ allowed: true, failures: 1, blockedUntil: null });
      await throttle.release("missing", rule);
    });

    // Issue 8 item 3: one statement counts and decides, so 30 concurrent claims get `free` passes.
    it("lets exactly `free` of 30 concurrent claims through", async () => {
      const { throttle, db, url, track } = await store();
      // On PostgreSQL, a second client with its own pool stands for another instance.
      const second = kind === "postgresql" ? createPrismaSignInThrottleStore(track(createDb(url))) : throttle;
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) => (i % 2 ? second : throttle).claim("k", { ...rule, free: 5 }, T0)),
      );
      expect(results.filter((r) => r.allowed)).toHaveLength(5);
      expect(
        results
          .filter((r) => r.allowed)
          .map((r) => r.allowed && r.failures)
          .sort(),
      ).toEqual([1, 2, 3, 4, 5]);
      expect((await db.loginThrottle.findUnique({ where: { key: "k" } }))!.failures).toBe(5);
    });

    it("forgets a user's name counters, from every address, when an administrator unlocks the user or sets a password", async () => {
      const { db, throttle } = await store();
      await db.user.create({ data: { username: "carol", email: "carol@example.com", claims: {}, roles: [] } });
      const keys = [
        ...throttleKeys(DEFAULT_SIGN_IN_THROTTLE, "carol", "192.0.2.1"),
        ...throttleKeys(DEFAULT_SIGN_IN_THROTTLE, "carol@example.com", "192.0.2.2"),
      ];
      for (const k of keys) await throttle.claim(k.key, k.rule, T0);
      await throttle.claim("n:someone-else", rule, T0);
      const directory = createPrismaDirectoryStore(db, kind);
      expect(await directory.setUserLocked("carol", false)).toBe(true);
      const left = (await db.loginThrottle.findMany()).map((r) => r.key).sort();
      expect(left).toEqual([keys[0]!.key, keys[3]!.key, "n:someone-else"].sort());
      for (const k of keys) await throttle.claim(k.key, k.rule, T0);
      expect(await directory.setUserPassword("carol", "scrypt$x")).toBe(true);
      expect(await db.loginThrottle.count({ where: { key: { startsWith: "p:" } } })).toBe(0);
    });
  });
}
