/**
 * Passkeys at the service and store level, on each database: the counter rule, single-use
 * challenges, replayed answers, the sign-in rate limit, and the user's own list. No fake
 * authenticator: the WebAuthn signatures themselves are the library's, covered end to end by
 * e2e/passkeys.spec.ts with Chromium's virtual authenticator.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import { createProvider, startSession, type RateLimiter } from "@/lib/oidc";
import { createPrismaStores } from "@/lib/stores/prisma";
import { createSqliteHotStores } from "@/lib/stores/sqlite";
import { sqlitePath } from "@/lib/db";
import { createPrismaPasskeyStore } from "@/lib/stores/prisma/passkeys";
import {
  CHALLENGE_TTL,
  checkCounter,
  consumeChallenge,
  defaultName,
  keyKind,
  myPasskeys,
  relyingParty,
  removeMyPasskey,
  renameMyPasskey,
  saveChallenge,
  signInWithPasskey,
  startPasskeyFactor,
  startPasskeyRegistration,
  startPasskeySignIn,
  verifyPasskeyAssertion,
  verifyPasskeyFactor,
  type NewPasskey,
} from "@/lib/auth/passkeys";
import { databaseKinds } from "../helpers/databases";
import { databasePool, testClock } from "../helpers/prisma-provider";
import { ISSUER } from "../helpers/provider";

const pool = databasePool();
afterAll(() => pool.dropAll());

const passkeyOf = (userId: string, credentialId: string, counter = 0): NewPasskey => ({
  userId,
  credentialId,
  publicKey: new Uint8Array([1, 2, 3]),
  counter,
  transports: ["internal"],
  deviceType: "singleDevice",
  backedUp: false,
  name: "Laptop",
});

/** A crafted answer naming a credential: enough to reach the checks before the signature. */
const answerFor = (credentialId: string) => ({
  id: credentialId,
  rawId: credentialId,
  type: "public-key",
  response: { clientDataJSON: "e30", authenticatorData: "AAAA", signature: "AAAA" },
  clientExtensionResults: {},
});

describe("passkey rules", () => {
  it("accepts a growing counter, or 0 twice, and refuses an equal or lower one (a cloned key)", () => {
    expect(checkCounter(0, 0)).toBe("ok");
    expect(checkCounter(0, 1)).toBe("ok");
    expect(checkCounter(5, 6)).toBe("ok");
    expect(checkCounter(5, 5)).toBe("cloned");
    expect(checkCounter(5, 4)).toBe("cloned");
    expect(checkCounter(5, 0)).toBe("cloned");
  });

  it("names unnamed passkeys Passkey, Passkey 2, ...", () => {
    expect(defaultName([])).toBe("Passkey");
    expect(defaultName(["Passkey", "Passkey 2", "Phone"])).toBe("Passkey 3");
  });

  it("calls a synced or backed-up key swk and a device-bound one hwk", () => {
    expect(keyKind({ backedUp: false, deviceType: "singleDevice" })).toBe("hwk");
    expect(keyKind({ backedUp: true, deviceType: "singleDevice" })).toBe("swk");
    expect(keyKind({ backedUp: false, deviceType: "multiDevice" })).toBe("swk");
  });
});

for (const kind of databaseKinds) {
  describe(`passkeys (${kind})`, () => {
    async function setup(options: { issuer?: string; rateLimiter?: RateLimiter } = {}) {
      const database = await pool.create(kind);
      const db = database.track(createDb(database.url));
      const clock = testClock();
      // As the runtime does: on SQLite the grant store is the hot one (lib/stores/sqlite).
      const hot = kind === "sqlite" ? createSqliteHotStores(sqlitePath(database.url)) : null;
      const ctx = await createProvider({
        settings: { issuer: options.issuer ?? ISSUER, cacheTtl: 0 },
        stores: { ...createPrismaStores(db), ...(hot ? { grants: hot.grants } : {}) },
        secret: "test-server-secret-test-server-secret",
        now: () => clock.now,
        log: { warn: () => {}, error: () => {} },
        rateLimiter: options.rateLimiter,
      });
      await db.user.create({ data: { id: "u-pia", username: "pia", claims: { name: "Pia" }, roles: [] } });
      await db.user.create({ data: { id: "u-bob", username: "bob", claims: {}, roles: [] } });
      const store = createPrismaPasskeyStore(db);
      const signIn = async (userId: string) => (await startSession(ctx, { userId, amr: ["pwd"] })).handle;
      const audit = async (type: string) => db.auditEvent.findMany({ where: { type } });
      return { ctx, db, clock, store, signIn, audit, close: () => hot?.close() };
    }

    it("uses a challenge once: a second use, a concurrent use, a late use and another purpose are refused", async () => {
      const p = await setup();
      const handle = await saveChallenge(p.ctx, { challenge: "c1", purpose: "sign_in" });
      expect(await consumeChallenge(p.ctx, handle, "sign_in")).toEqual({ ok: true, data: { challenge: "c1", purpose: "sign_in" } });
      expect(await consumeChallenge(p.ctx, handle, "sign_in")).toEqual({ ok: false, reason: "used" });

      const raced = await saveChallenge(p.ctx, { challenge: "c2", purpose: "sign_in" });
      const results = await Promise.all([1, 2, 3, 4].map(() => consumeChallenge(p.ctx, raced, "sign_in")));
      expect(results.filter((r) => r.ok)).toHaveLength(1);

      const late = await saveChallenge(p.ctx, { challenge: "c3", purpose: "sign_in" });
      p.clock.advance(CHALLENGE_TTL / 1000);
      expect(await consumeChallenge(p.ctx, late, "sign_in")).toEqual({ ok: false, reason: "expired" });

      const registration = await saveChallenge(p.ctx, { challenge: "c4", purpose: "register", userId: "u-pia" });
      expect(await consumeChallenge(p.ctx, registration, "sign_in")).toEqual({ ok: false, reason: "unknown" });
      // ... and it was used up by the mismatch: it cannot be tried again for its own purpose.
      expect(await consumeChallenge(p.ctx, registration, "register")).toEqual({ ok: false, reason: "used" });
      expect(await consumeChallenge(p.ctx, "made-up", "sign_in")).toEqual({ ok: false, reason: "unknown" });
      expect(await consumeChallenge(p.ctx, undefined, "sign_in")).toEqual({ ok: false, reason: "unknown" });
      p.close();
    });

    it("writes a counter only from the value it was read at: one of two concurrent uses wins", async () => {
      const p = await setup();
      const key = (await p.store.add(passkeyOf("u-pia", "cred-1", 5), new Date(p.clock.now)))!;
      expect(await p.store.add(passkeyOf("u-bob", "cred-1"), new Date(p.clock.now))).toBeNull();
      const flags = { backedUp: false, deviceType: "singleDevice" };
      const at = new Date(p.clock.now);
      const raced = await Promise.all([p.store.recordUse(key.id, 5, 6, at, flags), p.store.recordUse(key.id, 5, 6, at, flags)]);
      expect(raced.filter(Boolean)).toHaveLength(1);
      expect(await p.store.recordUse(key.id, 5, 7, at, flags)).toBe(false);
      const stored = await p.store.findByCredentialId("cred-1");
      expect(stored).toMatchObject({ counter: 6, lastUsedAt: at, transports: ["internal"] });
      expect([...stored!.publicKey]).toEqual([1, 2, 3]);
      p.close();
    });

    it("refuses a replayed assertion: its challenge is used up by the first attempt", async () => {
      const p = await setup();
      await p.store.add(passkeyOf("u-pia", "cred-1"), new Date(p.clock.now));
      const { challengeHandle, options } = await startPasskeySignIn(p.ctx);
      expect(options).toMatchObject({ rpId: "id.example.test", allowCredentials: [], userVerification: "required" });
      const first = await verifyPasskeyAssertion(p.ctx, p.store, { challengeHandle, response: answerFor("cred-1"), purpose: "sign_in" });
      expect(first).toMatchObject({ ok: false, reason: "refused" });
      const replay = await verifyPasskeyAssertion(p.ctx, p.store, { challengeHandle, response: answerFor("cred-1"), purpose: "sign_in" });
      expect(replay).toEqual({ ok: false, reason: "expired" });
      // The stored key was not touched by either.
      expect(await p.store.findByCredentialId("cred-1")).toMatchObject({ counter: 0, lastUsedAt: null });
      p.close();
    });

    it("says an unknown key is not registered, and audits the failed passwordless sign-in", async () => {
      const p = await setup();
      const { challengeHandle } = await startPasskeySignIn(p.ctx);
      const result = await signInWithPasskey(
        p.ctx,
        p.store,
        { recordSuccess: async () => {} },
        { challengeHandle, response: answerFor("nope") },
      );
      expect(result).toEqual({ ok: false, reason: "unknown" });
      expect((await p.audit("login_failed"))[0]).toMatchObject({ details: { reason: "passkey unknown", method: "passkey" } });
      p.close();
    });

    it("throttles passwordless sign-in with the sign-in rate limit (login.ip) before any other work", async () => {
      const hits: string[] = [];
      const limiter: RateLimiter = { hit: async (rule) => (hits.push(rule), 30) };
      const p = await setup({ rateLimiter: limiter });
      const { challengeHandle } = await startPasskeySignIn(p.ctx);
      const result = await signInWithPasskey(
        p.ctx,
        p.store,
        { recordSuccess: async () => {} },
        { challengeHandle, response: answerFor("x"), ipAddress: "203.0.113.7" },
      );
      expect(result).toEqual({ ok: false, reason: "throttled" });
      expect(hits).toEqual(["login.ip"]);
      // The challenge was not spent by the throttled attempt.
      expect(await consumeChallenge(p.ctx, challengeHandle, "sign_in")).toMatchObject({ ok: true });
      p.close();
    });

    it("binds a second-factor challenge to the pending sign-in and the user's own keys", async () => {
      const p = await setup();
      await p.store.add(passkeyOf("u-pia", "cred-pia"), new Date(p.clock.now));
      await p.store.add(passkeyOf("u-bob", "cred-bob"), new Date(p.clock.now));
      expect(await startPasskeyFactor(p.ctx, p.store, "u-nobody", "pending-1")).toBeNull();
      const started = (await startPasskeyFactor(p.ctx, p.store, "u-pia", "pending-1"))!;
      expect(started.options.allowCredentials).toEqual([{ id: "cred-pia", type: "public-key", transports: ["internal"] }]);
      const other = await verifyPasskeyFactor(p.ctx, p.store, {
        userId: "u-pia",
        pendingHandle: "pending-2",
        challengeHandle: started.challengeHandle,
        response: answerFor("cred-pia"),
      });
      expect(other).toEqual({ ok: false, reason: "expired" });
      const again = (await startPasskeyFactor(p.ctx, p.store, "u-pia", "pending-1"))!;
      const bobs = await verifyPasskeyFactor(p.ctx, p.store, {
        userId: "u-pia",
        pendingHandle: "pending-1",
        challengeHandle: again.challengeHandle,
        response: answerFor("cred-bob"),
      });
      expect(bobs).toEqual({ ok: false, reason: "unknown" });
      p.close();
    });

    it("registers only for a recent sign-in, with the issuer's host as RP id and the user's keys excluded", async () => {
      const p = await setup({ issuer: "https://login.example.test:8443/base" });
      expect(relyingParty(p.ctx)).toEqual({
        id: "login.example.test",
        origin: "https://login.example.test:8443",
        name: "login.example.test",
      });
      await p.store.add(passkeyOf("u-pia", "cred-old"), new Date(p.clock.now));
      const session = await p.signIn("u-pia");
      expect(await startPasskeyRegistration(p.ctx, p.store, undefined)).toEqual({ ok: false, reason: "not_signed_in" });
      const started = await startPasskeyRegistration(p.ctx, p.store, session);
      if (!started.ok) throw new Error("not started");
      expect(started.options).toMatchObject({
        rp: { id: "login.example.test" },
        attestation: "none",
        authenticatorSelection: { residentKey: "required", userVerification: "required" },
        excludeCredentials: [{ id: "cred-old", type: "public-key" }],
      });
      p.clock.advance(301);
      expect(await startPasskeyRegistration(p.ctx, p.store, session)).toEqual({ ok: false, reason: "reauth" });
      p.close();
    });

    it("lists, renames and removes only the session user's own passkeys; removal needs a recent sign-in and is audited", async () => {
      const p = await setup();
      const mine = (await p.store.add(passkeyOf("u-pia", "cred-pia"), new Date(p.clock.now)))!;
      const bobs = (await p.store.add(passkeyOf("u-bob", "cred-bob"), new Date(p.clock.now)))!;
      const session = await p.signIn("u-pia");
      expect(await myPasskeys(p.ctx, p.store, session)).toEqual([
        { id: mine.id, name: "Laptop", kind: "hwk", synced: false, createdAt: mine.createdAt, lastUsedAt: null },
      ]);
      expect(await renameMyPasskey(p.ctx, p.store, session, { id: bobs.id, name: "Mine now" })).toBe("not_found");
      expect(await renameMyPasskey(p.ctx, p.store, session, { id: mine.id, name: "x".repeat(61) })).toBe("invalid_name");
      expect(await renameMyPasskey(p.ctx, p.store, session, { id: mine.id, name: "a\u0007b" })).toBe("invalid_name");
      expect(await renameMyPasskey(p.ctx, p.store, session, { id: mine.id, name: "  Work key " })).toBe("renamed");
      expect((await p.store.findByCredentialId("cred-pia"))!.name).toBe("Work key");
      expect(await removeMyPasskey(p.ctx, p.store, session, { id: bobs.id })).toBe("not_found");
      p.clock.advance(301);
      expect(await removeMyPasskey(p.ctx, p.store, session, { id: mine.id })).toBe("reauth");
      const fresh = await p.signIn("u-pia");
      expect(await removeMyPasskey(p.ctx, p.store, fresh, { id: mine.id })).toBe("removed");
      expect(await p.store.findByCredentialId("cred-pia")).toBeNull();
      expect(await p.store.findByCredentialId("cred-bob")).not.toBeNull();
      expect((await p.audit("passkey_removed"))[0]).toMatchObject({ actor: "u-pia", subject: "u-pia", details: { name: "Work key" } });
      p.close();
    });
  });
}
