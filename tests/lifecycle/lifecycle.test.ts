/** Sign-up, verification, reset and the portal settings on the real stores, SQLite and PostgreSQL. */
import { afterAll, describe, expect, it } from "vitest";
import { startSession } from "@/lib/oidc";
import { signInWithPassword, EMAIL_NOT_VERIFIED } from "@/lib/auth/login";
import { createAdminAccess } from "@/lib/admin/access";
import { createLifecycle } from "@/lib/lifecycle/service";
import { consumeToken, issueToken } from "@/lib/lifecycle/tokens";
import { createPortalSettingsService, DEFAULT_SETTINGS, type PortalSettings } from "@/lib/settings";
import { createPrismaLifecycleStore } from "@/lib/stores/prisma/lifecycle";
import { createPrismaSettingStore } from "@/lib/stores/prisma/settings";
import type { MailMessage } from "@/lib/mail";
import { databaseKinds } from "../helpers/databases";
import { databasePool, prismaProvider, testClock } from "../helpers/prisma-provider";

const pool = databasePool();
afterAll(() => pool.dropAll());

async function setup(kind: "sqlite" | "postgresql", settings: Partial<PortalSettings> = {}) {
  const database = await pool.create(kind);
  const clock = testClock();
  const p = await prismaProvider(database.url, clock);
  database.track(p.db);
  const store = createPrismaLifecycleStore(p.db);
  const sent: MailMessage[] = [];
  const work: Promise<void>[] = [];
  const portal: PortalSettings = {
    ...DEFAULT_SETTINGS,
    ...settings,
    signUp: { ...DEFAULT_SETTINGS.signUp, enabled: true, ...settings.signUp },
  };
  const lifecycle = createLifecycle({
    ctx: p.ctx,
    store,
    mailer: { send: async (m) => void sent.push(m) },
    settings: async () => portal,
    defer: (w) => void work.push(w()),
  });
  const settled = async () => {
    await Promise.all(work.splice(0));
  };
  const linkToken = (m: MailMessage) => new URL(/https?:\/\/\S+token=\S+/.exec(m.text)![0]).searchParams.get("token")!;
  return { ...p, clock, store, lifecycle, sent, settled, linkToken };
}

for (const kind of databaseKinds) {
  describe(`account lifecycle (${kind})`, () => {
    it("a link works once: of two concurrent uses exactly one wins; an expired one never", async () => {
      const t = await setup(kind);
      await t.db.user.create({ data: { id: "u1", username: "una", claims: {}, roles: [] } });
      const token = await issueToken(t.ctx, t.store, { userId: "u1", purpose: "reset_password", email: "una@example.com" });
      const stored = await t.db.userActionToken.findFirstOrThrow({ where: { userId: "u1" } });
      expect(stored.tokenHash).not.toBe(token);
      expect(stored.tokenHash).toBe(await t.ctx.sha256(token));
      const results = await Promise.all([1, 2, 3, 4].map(() => consumeToken(t.ctx, t.store, token, "reset_password")));
      expect(results.filter(Boolean)).toHaveLength(1);
      // another purpose never opens it
      const verify = await issueToken(t.ctx, t.store, { userId: "u1", purpose: "verify_email", email: "una@example.com" });
      expect(await consumeToken(t.ctx, t.store, verify, "reset_password")).toBeNull();
      const late = await issueToken(t.ctx, t.store, { userId: "u1", purpose: "reset_password", email: "una@example.com" });
      t.clock.advance(30 * 60);
      expect(await consumeToken(t.ctx, t.store, late, "reset_password")).toBeNull();
    });

    it("sign-up: a new address must verify before signing in; a taken one gets the same answer and a notice", async () => {
      const t = await setup(kind);
      const ok = await t.lifecycle.signUp({
        username: "nina",
        email: "nina@example.com",
        password: "a quiet cobalt river",
        claims: { name: "Nina" },
      });
      expect(ok).toEqual({ kind: "check_mail" });
      const again = await t.lifecycle.signUp({ username: "nino", email: "nina@example.com", password: "a quiet cobalt river", claims: {} });
      expect(again).toEqual(ok);
      expect(
        await t.lifecycle.signUp({ username: "nina", email: "other@example.com", password: "a quiet cobalt river", claims: {} }),
      ).toEqual({
        kind: "username_taken",
      });
      expect(await t.lifecycle.signUp({ username: "nora", email: "nora@example.com", password: "nora-is-my-name", claims: {} })).toEqual({
        kind: "password",
        problem: "personal",
      });
      await t.settled();
      expect(t.sent.map((m) => [m.to, m.purpose])).toEqual([
        ["nina@example.com", "verify_email"],
        ["nina@example.com", "sign_up_attempt"],
      ]);
      expect(await t.db.user.count({ where: { username: "nino" } })).toBe(0);

      const refused = await signInWithPassword(t.ctx, t.accounts, { login: "nina", password: "a quiet cobalt river" });
      expect(refused).toMatchObject({ ok: false, message: EMAIL_NOT_VERIFIED });
      const wrong = await signInWithPassword(t.ctx, t.accounts, { login: "nina", password: "not the password" });
      expect(wrong).toMatchObject({ ok: false, message: "Invalid username or password." });

      const token = t.linkToken(t.sent[0]!);
      expect(await t.lifecycle.verificationOf(token)).toEqual({ email: "nina@example.com" });
      const [a, b] = await Promise.all([t.lifecycle.verifyEmail(token), t.lifecycle.verifyEmail(token)]);
      expect([a, b].sort()).toEqual(["invalid", "verified"]);
      const nina = await t.db.user.findUniqueOrThrow({ where: { username: "nina" } });
      expect(nina).toMatchObject({ emailVerified: true, pendingEmail: null, email: "nina@example.com" });
      expect((await t.ctx.config.user(nina.id))!.emailVerified).toBe(true);
      expect(await signInWithPassword(t.ctx, t.accounts, { login: "nina@example.com", password: "a quiet cobalt river" })).toMatchObject({
        ok: true,
      });
    });

    it("sign-up is closed unless the setting is on", async () => {
      const t = await setup(kind, { signUp: { ...DEFAULT_SETTINGS.signUp, enabled: false } });
      expect(await t.lifecycle.signUp({ username: "zed", email: "zed@example.com", password: "a quiet cobalt river", claims: {} })).toEqual(
        { kind: "closed" },
      );
    });

    it("forgot password: the same answer for known and unknown names; the link resets once, ends every session, mails a notice", async () => {
      const t = await setup(kind);
      await t.db.user.create({
        data: { id: "u-r", username: "rosa", email: "rosa@example.com", emailVerified: true, claims: {}, roles: [] },
      });
      await t.db.user.create({
        data: { id: "u-q", username: "quin", email: "quin@example.com", emailVerified: false, claims: {}, roles: [] },
      });
      const s1 = await startSession(t.ctx, { userId: "u-r", amr: ["pwd"] });
      expect(await t.lifecycle.requestPasswordReset("nobody")).toBe("sent");
      expect(await t.lifecycle.requestPasswordReset("quin")).toBe("sent");
      expect(await t.lifecycle.requestPasswordReset("rosa@example.com")).toBe("sent");
      await t.settled();
      // only the verified address gets a link
      expect(t.sent.map((m) => m.to)).toEqual(["rosa@example.com"]);
      const token = t.linkToken(t.sent[0]!);
      expect(await t.lifecycle.resetPassword(token, "rosa-1234567890")).toEqual({ kind: "password", problem: "personal" });
      expect(await t.lifecycle.resetPassword(token, "lantern orchard 42")).toEqual({ kind: "reset" });
      expect(await t.lifecycle.resetPassword(token, "lantern orchard 43")).toEqual({ kind: "invalid" });
      const session = await t.db.session.findUniqueOrThrow({ where: { id: s1.session.id } });
      expect(session.revokedAt).not.toBeNull();
      expect(await signInWithPassword(t.ctx, t.accounts, { login: "rosa", password: "lantern orchard 42" })).toMatchObject({ ok: true });
      await t.settled();
      expect(t.sent.map((m) => m.purpose)).toEqual(["reset_password", "password_changed"]);
      expect(await t.db.auditEvent.count({ where: { type: "password_reset", subject: "u-r" } })).toBe(1);
    });

    it("an email change waits for the new address's link; the old address is told", async () => {
      const t = await setup(kind);
      await t.db.user.create({
        data: { id: "u-e", username: "ezra", email: "ezra@old.example", emailVerified: true, claims: {}, roles: [] },
      });
      expect(await t.lifecycle.requestEmailChange("u-e", "ezra@new.example")).toBe("sent");
      await t.settled();
      expect(t.sent.map((m) => [m.to, m.purpose])).toEqual([
        ["ezra@new.example", "verify_email"],
        ["ezra@old.example", "email_change_notice"],
      ]);
      expect(await t.db.user.findUniqueOrThrow({ where: { id: "u-e" } })).toMatchObject({
        email: "ezra@old.example",
        pendingEmail: "ezra@new.example",
      });
      expect(await t.lifecycle.verifyEmail(t.linkToken(t.sent[0]!))).toBe("verified");
      expect(await t.db.user.findUniqueOrThrow({ where: { id: "u-e" } })).toMatchObject({
        email: "ezra@new.example",
        pendingEmail: null,
        emailVerified: true,
      });
    });

    it("settings: defaults, admin-only updates with plain-words problems, seen by another instance through the change stamp", async () => {
      const t = await setup(kind);
      await t.db.user.create({ data: { id: "u-admin", username: "root", claims: {}, roles: ["admin"] } });
      await t.db.user.create({ data: { id: "u-plain", username: "pat", claims: {}, roles: [] } });
      const access = createAdminAccess(t.ctx);
      const make = () =>
        createPortalSettingsService({
          store: createPrismaSettingStore(t.db),
          audit: t.ctx.stores.audit,
          authorize: access.authorize,
          now: () => t.clock.now,
        });
      const one = make();
      const two = make();
      expect(await two.get()).toEqual(DEFAULT_SETTINGS);
      expect(DEFAULT_SETTINGS).toMatchObject({
        signUp: { enabled: false, requireVerifiedEmail: true, requiredClaims: [] },
        password: { minLength: 12 },
        mfa: { required: false },
      });
      const admin = (await access.fromSession((await startSession(t.ctx, { userId: "u-admin", amr: ["pwd"] })).handle))!;
      const plain = (await access.fromSession((await startSession(t.ctx, { userId: "u-plain", amr: ["pwd"] })).handle))!;
      await expect(one.update(plain, { mfa: { required: true } })).rejects.toMatchObject({ code: "forbidden" });
      await expect(
        one.update(admin, { password: { minLength: 7 }, signUp: { enabled: true, termsUrl: "http://x.example" } }),
      ).rejects.toMatchObject({
        code: "validation_failed",
        problems: expect.arrayContaining([
          { path: "password.minLength", message: "Use at least 8." },
          { path: "signUp.termsUrl", message: "Use an https:// address, such as https://example.com/terms." },
        ]),
      });
      const after = await one.update(admin, { signUp: { enabled: true, requiredClaims: ["name"] }, password: { minLength: 14 } });
      expect(after.signUp).toMatchObject({ enabled: true, requiredClaims: ["name"], requireVerifiedEmail: true });
      // the other instance checks the stamp at most once a second
      expect((await two.get()).password.minLength).toBe(12);
      t.clock.advance(2);
      expect((await two.get()).password.minLength).toBe(14);
      expect(await t.db.auditEvent.count({ where: { type: "admin.settings_updated", actor: "user:root" } })).toBe(1);
    });
  });
}
