import { afterAll, describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { INVALID_CREDENTIALS, THROTTLED, signInWithPassword, type PasswordVerifier } from "@/lib/auth/login";
import { createRateLimiter } from "@/lib/server/rate-limit";
import { DEFAULT_RATE_LIMITS } from "@/lib/oidc/config";
import { databaseKinds } from "../helpers/databases";
import { databasePool, prismaProvider, testClock, type Clock, type PrismaProvider } from "../helpers/prisma-provider";

const pool = databasePool();
afterAll(() => pool.dropAll());

const RIGHT = "right password";
let realHash: Promise<string> | null = null;

/** The real scrypt check, counting which hash each attempt was compared against. */
function countingVerifier() {
  const calls = { real: 0, other: 0 };
  const verify: PasswordVerifier = async (password, hash) => {
    if (hash === (await realHash)) calls.real++;
    else calls.other++;
    return verifyPassword(password, hash);
  };
  return { calls, verify };
}

async function setup(
  kind: "sqlite" | "postgresql",
  options: Parameters<typeof prismaProvider>[2] = {},
): Promise<PrismaProvider & { clock: Clock; url: string }> {
  const database = await pool.create(kind);
  const clock = testClock();
  const p = await prismaProvider(database.url, clock, options);
  database.track(p.db);
  realHash ??= hashPassword(RIGHT);
  await p.db.user.create({
    data: { id: "u-alice", username: "alice", email: "alice@example.com", passwordHash: await realHash, claims: {}, roles: [] },
  });
  return { ...p, clock, url: database.url };
}

const attempt = (p: PrismaProvider, password: string, login = "alice", ipAddress = "203.0.113.7", verify?: PasswordVerifier) =>
  signInWithPassword(p.ctx, p.accounts, { login, password, ipAddress }, verify);

for (const kind of databaseKinds) {
  describe(`password sign-in (${kind})`, () => {
    it("starts a session with amr pwd, by username or email", async () => {
      const p = await setup(kind);
      expect((await attempt(p, RIGHT)).ok).toBe(true);
      expect((await attempt(p, RIGHT, "alice@example.com")).ok).toBe(true);
      expect((await p.db.session.findFirst())!.amr).toEqual(["pwd"]);
      expect((await p.db.user.findUnique({ where: { id: "u-alice" } }))!.lastLoginAt).toEqual(new Date(p.clock.now));
    });

    it("answers unknown user, wrong password, no password and an administratively locked account alike", async () => {
      const p = await setup(kind);
      await p.db.user.create({ data: { username: "external", claims: {}, roles: [] } });
      expect(await attempt(p, RIGHT, "bob")).toEqual({ ok: false, message: INVALID_CREDENTIALS });
      expect(await attempt(p, "wrong")).toEqual({ ok: false, message: INVALID_CREDENTIALS });
      expect(await attempt(p, "", "external")).toEqual({ ok: false, message: INVALID_CREDENTIALS });
      await p.db.user.update({ where: { id: "u-alice" }, data: { locked: true } });
      expect(await attempt(p, RIGHT)).toEqual({ ok: false, message: INVALID_CREDENTIALS });
    });

    // Issue 8 item 4: an unknown name and a known one are told apart neither by text, nor by
    // status, nor by work done (the same number of password checks), failure after failure.
    it("gives an unknown and a known name byte-identical answers after the same failures, with the same password work", async () => {
      const p = await setup(kind);
      const known = countingVerifier();
      const unknown = countingVerifier();
      const answers: [string, string][] = [];
      for (let i = 0; i < 8; i++) {
        const a = await attempt(p, "wrong", "alice", "198.51.100.1", known.verify);
        const b = await attempt(p, "wrong", "nobody", "198.51.100.2", unknown.verify);
        answers.push([JSON.stringify(a), JSON.stringify(b)]);
        expect(known.calls.real + known.calls.other).toBe(i + 1);
        expect(unknown.calls.other).toBe(i + 1);
      }
      for (const [a, b] of answers) expect(a).toBe(b);
      // Five failures free, then a wait of 30 s that further attempts do not lengthen.
      expect(answers.map(([a]) => JSON.parse(a))).toEqual([
        ...Array(5).fill({ ok: false, message: INVALID_CREDENTIALS }),
        ...Array(3).fill({ ok: false, message: THROTTLED, retryAfter: 30 }),
      ]);
      // A throttled known name with the right password: the same answer and the same hash work.
      const before = { known: known.calls.real + known.calls.other, unknown: unknown.calls.other };
      expect(JSON.stringify(await attempt(p, RIGHT, "alice", "198.51.100.1", known.verify))).toBe(
        JSON.stringify(await attempt(p, RIGHT, "nobody", "198.51.100.2", unknown.verify)),
      );
      expect(known.calls.real + known.calls.other - before.known).toBe(1);
      expect(unknown.calls.other - before.unknown).toBe(1);
      // The wait doubles after the next failure, alike for both.
      p.clock.advance(30);
      expect(JSON.stringify(await attempt(p, "wrong", "alice", "198.51.100.1"))).toBe(
        JSON.stringify(await attempt(p, "wrong", "nobody", "198.51.100.2")),
      );
      expect(await attempt(p, "wrong", "nobody", "198.51.100.2")).toEqual({ ok: false, message: THROTTLED, retryAfter: 60 });
    });

    it("lets the owner in from another address while one address is throttled, and a success clears the name", async () => {
      const p = await setup(kind);
      for (let i = 0; i < 6; i++) await attempt(p, "wrong", "alice", "198.51.100.66");
      expect(await attempt(p, RIGHT, "alice", "198.51.100.66")).toMatchObject({ ok: false, message: THROTTLED });
      expect((await attempt(p, RIGHT, "alice", "192.0.2.10")).ok).toBe(true);
      expect(await p.db.loginThrottle.count({ where: { key: { startsWith: "n:" } } })).toBe(0);
      expect(await p.db.auditEvent.count({ where: { type: "sign_in_throttled" } })).toBe(1);
    });

    // Issue 8 item 3: the count and the decision are one statement in the database, taken
    // before the hash is checked; 30 parallel wrong passwords got 28 real checks before.
    it("checks at most 5 of 30 concurrent wrong passwords, then refuses the right one inside the wait", async () => {
      const p = await setup(kind);
      const { calls, verify } = countingVerifier();
      const results = await Promise.all(Array.from({ length: 30 }, () => attempt(p, "wrong", "alice", "203.0.113.7", verify)));
      expect(calls.real).toBe(5);
      expect(calls.real + calls.other).toBe(30);
      expect(results.filter((r) => !r.ok && r.message === INVALID_CREDENTIALS)).toHaveLength(5);
      expect(await attempt(p, RIGHT, "alice", "203.0.113.7", verify)).toEqual({ ok: false, message: THROTTLED, retryAfter: 30 });
      expect(calls.real).toBe(5);
      p.clock.advance(30);
      expect((await attempt(p, RIGHT, "alice", "203.0.113.7", verify)).ok).toBe(true);
    });

    it("answers over the sign-in rate limit before any password work, alike for unknown names; other addresses are not affected", async () => {
      const limiter = createRateLimiter(
        { window: 3600, perWindow: { ...DEFAULT_RATE_LIMITS.perWindow, "login.user": 2 } },
        { store: "memory", log: { warn: () => {}, error: () => {} } },
      );
      const p = await setup(kind, { rateLimiter: limiter });
      const { calls, verify } = countingVerifier();
      for (const login of ["alice", "nobody"]) {
        await attempt(p, "wrong", login, "192.0.2.1", verify);
        await attempt(p, "wrong", login, "192.0.2.1", verify);
      }
      const checked = calls.real + calls.other;
      const a = await attempt(p, RIGHT, "alice", "192.0.2.1", verify);
      const b = await attempt(p, RIGHT, "nobody", "192.0.2.1", verify);
      expect(a).toMatchObject({ ok: false, message: THROTTLED });
      expect((a as { retryAfter: number }).retryAfter).toBeGreaterThan(3500);
      expect(b).toMatchObject({ ok: false, message: THROTTLED });
      expect(calls.real + calls.other).toBe(checked);
      // The owner, from elsewhere, is not locked out by someone else's attempts (review finding).
      expect(await attempt(p, RIGHT, "alice", "192.0.2.3", verify)).toMatchObject({ ok: true });
    });
  });
}

if (databaseKinds.includes("postgresql")) {
  describe("password sign-in on two instances sharing one PostgreSQL database", () => {
    it("checks at most 5 of 30 concurrent wrong passwords spread over both", async () => {
      const a = await setup("postgresql");
      const b = await prismaProvider(a.url, a.clock);
      const { calls, verify } = countingVerifier();
      try {
        await Promise.all(Array.from({ length: 30 }, (_, i) => attempt(i % 2 ? b : a, "wrong", "alice", "203.0.113.7", verify)));
        expect(calls.real).toBe(5);
        expect(await attempt(b, RIGHT, "alice", "203.0.113.7", verify)).toMatchObject({ ok: false, message: THROTTLED });
        expect(await attempt(a, RIGHT, "alice", "203.0.113.7", verify)).toMatchObject({ ok: false, message: THROTTLED });
        expect(calls.real).toBe(5);
      } finally {
        await b.db.$disconnect();
      }
    });
  });
}
