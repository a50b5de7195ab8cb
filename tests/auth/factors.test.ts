import { afterAll, describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { THROTTLED, signInWithPassword } from "@/lib/auth/login";
import {
  createFactorService,
  FACTOR_SECRETS_PURPOSE,
  PENDING_LIFETIME,
  proveSecondFactor,
  SIGN_IN_EXPIRED,
  totpCodeAt,
  WRONG_CODE,
  type FactorService,
} from "@/lib/auth/factors";
import { SecretBox, startSession } from "@/lib/oidc";
import { createPrismaFactorStore } from "@/lib/stores/prisma/factors";
import { databaseKinds } from "../helpers/databases";
import { databasePool, prismaProvider, testClock, type Clock, type PrismaProvider } from "../helpers/prisma-provider";

const pool = databasePool();
afterAll(() => pool.dropAll());

const PASSWORD = "alice-password-123";
const IP = "203.0.113.7";
let hash: Promise<string> | null = null;

type Setup = PrismaProvider & { clock: Clock; url: string; factors: FactorService; box: SecretBox };

async function instance(url: string, clock: Clock): Promise<PrismaProvider & { factors: FactorService; box: SecretBox }> {
  const p = await prismaProvider(url, clock);
  const box = await SecretBox.fromSecret("test-server-secret-test-server-secret", FACTOR_SECRETS_PURPOSE);
  const factors = createFactorService({ ctx: p.ctx, store: createPrismaFactorStore(p.db), box, accounts: p.accounts });
  return { ...p, factors, box };
}

async function setup(kind: "sqlite" | "postgresql"): Promise<Setup> {
  const database = await pool.create(kind);
  const clock = testClock();
  const p = await instance(database.url, clock);
  database.track(p.db);
  hash ??= hashPassword(PASSWORD);
  await p.db.user.create({
    data: { id: "u-alice", username: "alice", email: "alice@example.com", passwordHash: await hash, claims: {}, roles: [] },
  });
  return { ...p, clock, url: database.url };
}

/** Sets up alice's authenticator app; the secret and the recovery codes. */
async function enrol(p: Setup) {
  const started = await p.factors.startTotpEnrolment("u-alice");
  if (started === "exists") throw new Error("already enrolled");
  const confirmed = await p.factors.confirmTotpEnrolment("u-alice", totpCodeAt(started.secret, p.clock.now));
  if (!confirmed.ok) throw new Error(confirmed.reason);
  return { secret: started.secret, codes: confirmed.codes };
}

const signIn = (p: Setup, password = PASSWORD) =>
  signInWithPassword(p.ctx, p.accounts, { login: "alice", password, ipAddress: IP }, undefined, (id) => p.factors.hasSecondFactor(id));

const prove = (p: Setup, pending: string | undefined, code: string, method: "totp" | "recovery" = "totp", session?: string) =>
  proveSecondFactor({ ctx: p.ctx, accounts: p.accounts }, p.factors, { handles: { pending, session }, method, code, ipAddress: IP });

for (const kind of databaseKinds) {
  describe(`authenticator apps and recovery codes (${kind})`, () => {
    it("enrols: an unconfirmed app is no factor, a wrong first code is refused, the right one confirms with ten codes", async () => {
      const p = await setup(kind);
      const started = await p.factors.startTotpEnrolment("u-alice");
      if (started === "exists") throw new Error("exists");
      expect(started.uri).toMatch(/^otpauth:\/\/totp\/.+alice\?.*algorithm=SHA1&digits=6&period=30/);
      expect(started.qr).toMatch(/^data:image\/svg\+xml;base64,/);
      // Sealed at rest: the secret is not in the row.
      expect((await p.db.totpFactor.findUnique({ where: { userId: "u-alice" } }))!.secretSealed).not.toContain(started.secret);
      expect(await p.factors.hasSecondFactor("u-alice")).toBe(false);
      expect(await p.factors.confirmTotpEnrolment("u-alice", "000000")).toMatchObject({ ok: false, reason: "wrong_code" });
      const confirmed = await p.factors.confirmTotpEnrolment("u-alice", totpCodeAt(started.secret, p.clock.now));
      expect(confirmed.ok && confirmed.codes).toHaveLength(10);
      expect(confirmed.ok && confirmed.codes[0]).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
      expect(await p.factors.factorsOf("u-alice")).toEqual({ totp: true, recoveryCodesLeft: 10, passkeys: 0 });
      expect(await p.factors.startTotpEnrolment("u-alice")).toBe("exists");
      // Only hashes are stored.
      const stored = await p.db.recoveryCode.findMany();
      expect(stored.map((c) => c.codeHash)).not.toContain(confirmed.ok && confirmed.codes[0]);
    });

    it("accepts a code within one step either side, later steps only", async () => {
      const p = await setup(kind);
      const { secret } = await enrol(p);
      p.clock.advance(90);
      const now = p.clock.now;
      expect(await p.factors.verifyTotp("u-alice", totpCodeAt(secret, now - 60_000))).toBe(false); // two steps back
      expect(await p.factors.verifyTotp("u-alice", totpCodeAt(secret, now - 30_000))).toBe(true); // one step back
      expect(await p.factors.verifyTotp("u-alice", totpCodeAt(secret, now + 30_000))).toBe(true); // one step ahead
      // The current step is now older than the last accepted one.
      expect(await p.factors.verifyTotp("u-alice", totpCodeAt(secret, now))).toBe(false);
      expect(await p.factors.verifyTotp("u-alice", totpCodeAt(secret, now + 60_000))).toBe(false); // two steps ahead
      expect(await p.factors.verifyTotp("u-alice", "12345")).toBe(false);
    });

    it("refuses a code replayed in the same step", async () => {
      const p = await setup(kind);
      const { secret } = await enrol(p);
      p.clock.advance(30);
      const code = totpCodeAt(secret, p.clock.now);
      expect(await p.factors.verifyTotp("u-alice", code)).toBe(true);
      expect(await p.factors.verifyTotp("u-alice", code)).toBe(false);
      expect(await p.factors.verifyTotp("u-alice", code.slice(0, 3) + " " + code.slice(3))).toBe(false);
    });

    it("lets exactly one of concurrent verifications of one code win, across two instances", async () => {
      const p = await setup(kind);
      const other = await instance(p.url, p.clock);
      const { secret } = await enrol(p);
      try {
        for (let round = 0; round < 3; round++) {
          p.clock.advance(30);
          const code = totpCodeAt(secret, p.clock.now);
          const results = await Promise.all([
            p.factors.verifyTotp("u-alice", code),
            other.factors.verifyTotp("u-alice", code),
            p.factors.verifyTotp("u-alice", code),
            other.factors.verifyTotp("u-alice", code),
          ]);
          expect(results.filter(Boolean)).toHaveLength(1);
        }
      } finally {
        await other.db.$disconnect();
      }
    });

    it("uses each recovery code once; regenerating replaces them all", async () => {
      const p = await setup(kind);
      const { codes } = await enrol(p);
      expect(await p.factors.useRecoveryCode("u-alice", codes[0]!)).toBe(true);
      expect(await p.factors.useRecoveryCode("u-alice", codes[0]!)).toBe(false);
      // Case, dashes and spaces do not matter.
      expect(await p.factors.useRecoveryCode("u-alice", ` ${codes[1]!.replace("-", "").toUpperCase()} `)).toBe(true);
      expect(await p.factors.useRecoveryCode("u-alice", "aaaaa-aaaaa")).toBe(false);
      expect((await p.factors.factorsOf("u-alice")).recoveryCodesLeft).toBe(8);
      const racing = await Promise.all([p.factors.useRecoveryCode("u-alice", codes[2]!), p.factors.useRecoveryCode("u-alice", codes[2]!)]);
      expect(racing.filter(Boolean)).toHaveLength(1);
      expect(await p.db.auditEvent.count({ where: { type: "recovery_code_used" } })).toBe(3);
      const fresh = await p.factors.regenerateRecoveryCodes("u-alice");
      expect(fresh).toHaveLength(10);
      expect(await p.factors.useRecoveryCode("u-alice", codes[3]!)).toBe(false);
      expect(await p.factors.useRecoveryCode("u-alice", fresh![0]!)).toBe(true);
    });

    it("with a factor, a right password starts a pending sign-in that the code completes once, with amr pwd otp mfa", async () => {
      const p = await setup(kind);
      const { secret } = await enrol(p);
      const first = await signIn(p);
      expect(first).toMatchObject({ ok: true, step: "second_factor" });
      expect(await p.db.session.count()).toBe(0);
      const pending = first.ok && first.step === "second_factor" ? first.pending : "";
      p.clock.advance(30);
      expect(await prove(p, pending, "000000")).toEqual({ ok: false, reason: "wrong_code", message: WRONG_CODE });
      const done = await prove(p, pending, totpCodeAt(secret, p.clock.now));
      expect(done).toMatchObject({ ok: true, handle: expect.any(String) });
      expect((await p.db.session.findFirst())!.amr).toEqual(["pwd", "otp", "mfa"]);
      // Single use: the pending sign-in is gone.
      p.clock.advance(30);
      expect(await prove(p, pending, totpCodeAt(secret, p.clock.now))).toMatchObject({ ok: false, reason: "expired" });
      expect(await p.db.session.count()).toBe(1);
    });

    it("completes with a recovery code too", async () => {
      const p = await setup(kind);
      const { codes } = await enrol(p);
      const first = await signIn(p);
      const pending = first.ok && first.step === "second_factor" ? first.pending : "";
      expect(await prove(p, pending, codes[4]!, "recovery")).toMatchObject({ ok: true });
      expect((await p.db.session.findFirst())!.amr).toEqual(["pwd", "otp", "mfa"]);
    });

    it("refuses an expired pending sign-in", async () => {
      const p = await setup(kind);
      const { secret } = await enrol(p);
      const first = await signIn(p);
      const pending = first.ok && first.step === "second_factor" ? first.pending : "";
      p.clock.advance(PENDING_LIFETIME + 1);
      expect(await prove(p, pending, totpCodeAt(secret, p.clock.now))).toEqual({ ok: false, reason: "expired", message: SIGN_IN_EXPIRED });
      expect(await prove(p, "not-a-handle", totpCodeAt(secret, p.clock.now))).toMatchObject({ ok: false, reason: "expired" });
      expect(await p.db.session.count()).toBe(0);
    });

    it("counts wrong codes in the sign-in throttle, with wrong passwords", async () => {
      const p = await setup(kind);
      const { secret } = await enrol(p);
      const first = await signIn(p);
      const pending = first.ok && first.step === "second_factor" ? first.pending : "";
      // The name from this address has five free failures (settings.signInThrottle).
      for (let i = 0; i < 5; i++) expect(await prove(p, pending, "000000")).toMatchObject({ reason: "wrong_code" });
      p.clock.advance(1);
      expect(await prove(p, pending, totpCodeAt(secret, p.clock.now))).toEqual({ ok: false, reason: "throttled", message: THROTTLED });
      expect(await signIn(p)).toMatchObject({ ok: false, message: THROTTLED });
      expect(await p.db.auditEvent.count({ where: { type: "mfa_failed" } })).toBe(5);
    });

    it("upgrades a live session without mfa (step-up): amr gains otp and mfa, authTime stays (a factor is no new sign-in)", async () => {
      const p = await setup(kind);
      const { secret } = await enrol(p);
      const { handle, session } = await startSession(p.ctx, { userId: "u-alice", amr: ["pwd"] });
      p.clock.advance(600);
      expect(await prove(p, undefined, totpCodeAt(secret, p.clock.now), "totp", handle)).toEqual({ ok: true });
      const after = (await p.db.session.findUnique({ where: { id: session.id } }))!;
      expect(after.amr).toEqual(["pwd", "otp", "mfa"]);
      expect(after.authTime).toEqual(session.authTime);
    });

    it("removes the app with its codes; reset removes every factor", async () => {
      const p = await setup(kind);
      await enrol(p);
      expect(await p.factors.removeTotp("u-alice")).toBe(true);
      expect(await p.factors.factorsOf("u-alice")).toEqual({ totp: false, recoveryCodesLeft: 0, passkeys: 0 });
      expect((await signIn(p)).ok && (await signIn(p))).toMatchObject({ step: "session" });
      await enrol(p);
      await p.db.passkey.create({
        data: {
          credentialId: "cred-1",
          userId: "u-alice",
          publicKey: Buffer.from([1]),
          transports: [],
          deviceType: "singleDevice",
          name: "Laptop",
        },
      });
      expect(await createPrismaFactorStore(p.db).resetAll("u-alice")).toEqual({ totp: true, recoveryCodes: 10, passkeys: 1 });
      expect(await p.factors.hasSecondFactor("u-alice")).toBe(false);
    });
  });
}
