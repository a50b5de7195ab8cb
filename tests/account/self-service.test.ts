import { afterAll, describe, expect, it } from "vitest";
import { startSession } from "@/lib/oidc";
import {
  changeMyPassword,
  endMyOtherSessions,
  myActivity,
  myProfile,
  mySessions,
  reauthenticateWithPassword,
  reauthenticateWithUpstream,
  setMyPassword,
  unlinkMyLogin,
  updateMyProfile,
} from "@/lib/account/service";
import { safeNext } from "@/lib/account/reauth";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { createPrismaAccountStore } from "@/lib/stores/prisma/account";
import { databaseKinds } from "../helpers/databases";
import { databasePool, prismaProvider, testClock } from "../helpers/prisma-provider";

const pool = databasePool();
afterAll(() => pool.dropAll());

let aliceHash: Promise<string> | null = null;

async function setup(kind: "sqlite" | "postgresql", settings: { reauthAfter?: number; editableClaims?: string[] } = {}) {
  const database = await pool.create(kind);
  const clock = testClock();
  const p = await prismaProvider(database.url, clock, {
    settings: { account: settings as never, signInThrottle: { perNameAndAddress: 3 } },
  });
  database.track(p.db);
  aliceHash ??= hashPassword("alice-password-1");
  await p.db.user.create({
    data: {
      id: "u-alice",
      username: "alice",
      email: "alice@example.com",
      passwordHash: await aliceHash,
      claims: { name: "Alice", custom: 7 },
      roles: [],
    },
  });
  await p.db.user.create({ data: { id: "u-erin", username: "erin", claims: { name: "Erin" }, roles: [] } });
  await p.db.user.create({ data: { id: "u-bob", username: "bob", claims: {}, roles: [] } });
  const store = createPrismaAccountStore(p.db, kind);
  const start = async (userId: string, amr = ["pwd"]) => (await startSession(p.ctx, { userId, amr, ipAddress: "203.0.113.9" })).handle;
  return { ...p, clock, store, start };
}

for (const kind of databaseKinds) {
  describe(`account profile (${kind})`, () => {
    it("edits only the allowed claims, keeps the others, audits before/after and drops the user cache", async () => {
      const p = await setup(kind);
      const alice = await p.start("u-alice");
      // Warm the cache the token endpoints read users through.
      expect((await p.ctx.config.user("u-alice"))!.claims.name).toBe("Alice");
      const result = await updateMyProfile(p.ctx, p.store, alice, {
        csrf: "x",
        name: "  Alice Liddell ",
        given_name: "Alice",
        locale: "pt-BR",
        email: "evil@example.com",
        sub: "u-bob",
        nickname: "not editable by default",
        custom: "overwritten?",
      });
      expect(result).toEqual({ kind: "saved", changed: ["name", "given_name", "locale"] });
      const row = await p.db.user.findUniqueOrThrow({ where: { id: "u-alice" } });
      expect(row.email).toBe("alice@example.com");
      expect(row.claims).toEqual({ name: "Alice Liddell", given_name: "Alice", locale: "pt-BR", custom: 7 });
      expect((await p.ctx.config.user("u-alice"))!.claims.name).toBe("Alice Liddell");
      const audit = await p.db.auditEvent.findFirstOrThrow({ where: { type: "profile_updated" } });
      expect([audit.actor, audit.subject, audit.details]).toEqual([
        "u-alice",
        "u-alice",
        {
          before: { name: "Alice", given_name: null, locale: null },
          after: { name: "Alice Liddell", given_name: "Alice", locale: "pt-BR" },
          from: "account_profile",
        },
      ]);
      // An empty value removes the claim.
      expect(await updateMyProfile(p.ctx, p.store, alice, { given_name: "" })).toEqual({ kind: "saved", changed: ["given_name"] });
      expect((await p.db.user.findUniqueOrThrow({ where: { id: "u-alice" } })).claims).toEqual({
        name: "Alice Liddell",
        locale: "pt-BR",
        custom: 7,
      });
      expect((await myProfile(p.ctx, alice))!.fields.map((f) => [f.claim, f.value])).toEqual([
        ["name", "Alice Liddell"],
        ["given_name", ""],
        ["family_name", ""],
        ["picture", ""],
        ["locale", "pt-BR"],
      ]);
      expect(await updateMyProfile(p.ctx, p.store, "forged", { name: "x" })).toEqual({ kind: "not_signed_in" });
    });

    it("refuses values past the limits with plain-words codes, and writes nothing", async () => {
      const p = await setup(kind, { editableClaims: ["name", "picture", "locale", "zoneinfo", "birthdate"] });
      const alice = await p.start("u-alice");
      const result = await updateMyProfile(p.ctx, p.store, alice, {
        name: "x".repeat(201),
        picture: "http://example.com/me.png",
        locale: "english please",
        zoneinfo: "Mars/Olympus",
        birthdate: "1990-02-30",
      });
      expect(result).toEqual({
        kind: "invalid",
        errors: { name: "too_long_name", picture: "https", locale: "locale", zoneinfo: "zoneinfo", birthdate: "birthdate" },
      });
      expect((await p.db.user.findUniqueOrThrow({ where: { id: "u-alice" } })).claims).toEqual({ name: "Alice", custom: 7 });
      expect(await updateMyProfile(p.ctx, p.store, alice, { picture: "javascript:alert(1)" })).toMatchObject({ kind: "invalid" });
      expect(
        await updateMyProfile(p.ctx, p.store, alice, {
          picture: "https://example.com/a.png",
          locale: "en",
          zoneinfo: "Europe/Paris",
          birthdate: "1990-02-28",
        }),
      ).toMatchObject({ kind: "saved" });
    });

    it("the settings refuse claims a user must never edit", async () => {
      await expect(setup(kind, { editableClaims: ["email"] })).rejects.toThrow(/account.editableClaims: email/);
    });
  });

  describe(`account password (${kind})`, () => {
    it("a wrong current password is refused, audited and counted by the sign-in throttle", async () => {
      const p = await setup(kind);
      const alice = await p.start("u-alice");
      for (let i = 0; i < 3; i++) {
        expect(await changeMyPassword(p.ctx, p.store, p.accounts, alice, { current: "wrong", password: "new-password-1" })).toBe(
          "current_wrong",
        );
      }
      // perNameAndAddress is 3 here: the next attempt waits, even with the right password.
      expect(await changeMyPassword(p.ctx, p.store, p.accounts, alice, { current: "alice-password-1", password: "new-password-1" })).toBe(
        "throttled",
      );
      expect(await p.db.auditEvent.count({ where: { type: "login_failed", subject: "u-alice" } })).toBe(3);
      expect(await verifyPassword("alice-password-1", (await p.store.passwordHash("u-alice"))!)).toBe(true);
    });

    it("a change ends my other sessions, keeps this one, never another user's; audited", async () => {
      const p = await setup(kind);
      const alice = await p.start("u-alice");
      const phone = await p.start("u-alice");
      const bob = await p.start("u-bob");
      expect(await changeMyPassword(p.ctx, p.store, p.accounts, alice, { current: "alice-password-1", password: "new-password-1" })).toBe(
        "changed",
      );
      expect(await verifyPassword("new-password-1", (await p.store.passwordHash("u-alice"))!)).toBe(true);
      expect(await mySessions(p.ctx, p.store, alice)).toHaveLength(1);
      expect(await mySessions(p.ctx, p.store, phone)).toBeNull();
      expect(await mySessions(p.ctx, p.store, bob)).toHaveLength(1);
      const audit = await p.db.auditEvent.findFirstOrThrow({ where: { type: "password_changed" } });
      expect(audit.details).toEqual({ sessionsEnded: 1, from: "account_password" });
      expect(await changeMyPassword(p.ctx, p.store, p.accounts, alice, { current: "alice-password-1", password: "other-password" })).toBe(
        "current_wrong",
      );
    });

    it("set: a user without a password sets one after a recent sign-in only; never replaces an existing one", async () => {
      const p = await setup(kind, { reauthAfter: 300 });
      const erin = await p.start("u-erin", ["fed"]);
      const erinPhone = await p.start("u-erin", ["fed"]);
      p.clock.advance(301);
      expect(await setMyPassword(p.ctx, p.store, erin, "copper-kettle-41")).toBe("reauth");
      expect(await p.store.passwordHash("u-erin")).toBeNull();
      // A fresh upstream sign-in of the same user re-authenticates this session.
      expect(await reauthenticateWithUpstream(p.ctx, p.store, erin, { userId: "u-erin", amr: ["fed"], providerId: "upstream" })).toBe(
        "reauthenticated",
      );
      expect(await setMyPassword(p.ctx, p.store, erin, "copper-kettle-41")).toBe("set");
      expect(await verifyPassword("copper-kettle-41", (await p.store.passwordHash("u-erin"))!)).toBe(true);
      expect(await mySessions(p.ctx, p.store, erinPhone)).toBeNull();
      expect(await setMyPassword(p.ctx, p.store, erin, "another-kettle-41")).toBe("has_password");
      const alice = await p.start("u-alice");
      expect(await setMyPassword(p.ctx, p.store, alice, "replaced-kettle-41")).toBe("has_password");
      expect((await p.db.auditEvent.findMany({ where: { type: "password_set" } })).map((e) => e.subject)).toEqual(["u-erin"]);
    });
  });

  describe(`account re-authentication (${kind})`, () => {
    it("sensitive actions wait for a recent sign-in, measured with the injected clock", async () => {
      const p = await setup(kind, { reauthAfter: 60 });
      const alice = await p.start("u-alice");
      await p.start("u-alice");
      p.clock.advance(60);
      expect(await endMyOtherSessions(p.ctx, p.store, alice)).toBe(1);
      await p.start("u-alice");
      p.clock.advance(1);
      expect(await endMyOtherSessions(p.ctx, p.store, alice)).toBe("reauth");
      expect(await unlinkMyLogin(p.ctx, p.store, alice, "any")).toBe("reauth");
      expect(await mySessions(p.ctx, p.store, alice)).toHaveLength(2);

      expect(await reauthenticateWithPassword(p.ctx, p.store, p.accounts, alice, "wrong")).toBe("wrong_password");
      expect(await endMyOtherSessions(p.ctx, p.store, alice)).toBe("reauth");
      expect(await reauthenticateWithPassword(p.ctx, p.store, p.accounts, alice, "alice-password-1")).toBe("reauthenticated");
      expect(await endMyOtherSessions(p.ctx, p.store, alice)).toBe(1);
      const audit = await p.db.auditEvent.findMany({
        where: { type: { in: ["reauthenticated", "login_failed"] } },
        orderBy: { createdAt: "asc" },
      });
      expect(
        audit.map((e) => [
          e.type,
          e.subject,
          (e.details as { from?: string; method?: string }).from ?? (e.details as { method?: string }).method,
        ]),
      ).toEqual([
        ["login_failed", "u-alice", "account_reauth"],
        ["reauthenticated", "u-alice", "pwd"],
      ]);
    });

    it("an upstream sign-in of ANOTHER user never re-authenticates this one", async () => {
      const p = await setup(kind, { reauthAfter: 60 });
      const alice = await p.start("u-alice");
      p.clock.advance(120);
      expect(await reauthenticateWithUpstream(p.ctx, p.store, alice, { userId: "u-bob", amr: ["fed"], providerId: "upstream" })).toBe(
        "sign_in",
      );
      expect(await endMyOtherSessions(p.ctx, p.store, alice)).toBe("reauth");
      expect(await reauthenticateWithUpstream(p.ctx, p.store, undefined, { userId: "u-alice", amr: ["fed"], providerId: "upstream" })).toBe(
        "sign_in",
      );
      expect(await p.db.auditEvent.count({ where: { type: "reauthenticated" } })).toBe(0);
    });

    it("goes back to local paths only", () => {
      expect(safeNext("/account/sessions")).toBe("/account/sessions");
      expect(safeNext("//evil.example/x")).toBe("/account");
      expect(safeNext("/\\evil.example")).toBe("/account");
      expect(safeNext("https://evil.example")).toBe("/account");
      expect(safeNext("/account\nx")).toBe("/account");
      expect(safeNext(undefined)).toBe("/account");
    });
  });

  describe(`account activity and lastSeenAt (${kind})`, () => {
    it("lists my security events only, with safe fields", async () => {
      const p = await setup(kind);
      const alice = await p.start("u-alice");
      await p.ctx.stores.audit.record({
        type: "login_succeeded",
        subject: "u-alice",
        ipAddress: "198.51.100.4",
        details: { sessionId: "nope" },
      });
      await p.ctx.stores.audit.record({ type: "login_failed", subject: "u-alice", details: { reason: "wrong password" } });
      await p.ctx.stores.audit.record({ type: "login_failed", subject: "u-bob", details: { reason: "wrong password" } });
      await p.ctx.stores.audit.record({ type: "admin.client_created", subject: "u-alice", actor: "u-root", details: { secret: "x" } });
      await p.ctx.stores.audit.record({ type: "login_succeeded", subject: "u-alice", details: { sessionId: "s", provider: "github" } });
      const events = (await myActivity(p.ctx, p.store, alice, { providerName: async (id) => (id === "github" ? "GitHub" : null) }))!;
      expect(events.map((e) => [e.type, e.detail, e.ipAddress])).toEqual([
        ["login_succeeded", "with GitHub", null],
        ["login_failed", "wrong password", null],
        ["login_succeeded", null, "198.51.100.4"],
      ]);
      expect(Object.keys(events[0]!).sort()).toEqual(["at", "detail", "device", "id", "ipAddress", "label", "type"]);
      expect(await myActivity(p.ctx, p.store, "forged")).toBeNull();
    });

    it("marks a session seen on use at most once a minute", async () => {
      const p = await setup(kind);
      const alice = await p.start("u-alice");
      const started = p.clock.now;
      const seen = async () => (await mySessions(p.ctx, p.store, alice))![0]!.lastSeenAt.getTime();
      expect(await seen()).toBe(started);
      p.clock.advance(59);
      expect(await seen()).toBe(started);
      p.clock.advance(1);
      const touched = p.clock.now;
      expect(await seen()).toBe(touched);
      p.clock.advance(30);
      expect(await seen()).toBe(touched);
      // The write is conditional: an older "now" cannot move it back or write twice.
      await p.ctx.stores.sessions.touchSession((await mySessions(p.ctx, p.store, alice))![0]!.id, new Date(started), new Date(touched));
      expect(await seen()).toBe(touched);
    });
  });
}
