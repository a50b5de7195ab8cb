/** Every branch of the decision service, against real stores on SQLite and PostgreSQL. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHandoffs } from "@/lib/auth/external/flow";
import type { VerifiedIdentity } from "@/lib/auth/external/identity";
import { decideExternalSignIn, linkAfterPasswordProof, usernameCandidates, type SignInDeps } from "@/lib/auth/external/sign-in";
import type { ResolvedProvider } from "@/lib/auth/external/settings";
import { databaseKinds } from "../../helpers/databases";
import { startPortcullis, type TestPortcullis } from "./setup";

type Policy = Pick<ResolvedProvider, "id" | "enabled" | "trustEmail" | "firstLogin">;
const FLOW = { interactionId: "interaction-1", bindingHash: "binding-hash-1" };

for (const kind of databaseKinds) {
  describe(`external sign-in decisions (${kind})`, () => {
    let p: TestPortcullis;
    let deps: SignInDeps;
    const policies = new Map<string, Policy>();
    let n = 0;
    const policy = (overrides: Partial<Policy> = {}): Policy => {
      const id = `idp${++n}`;
      const pol = { id, enabled: true, trustEmail: false, firstLogin: "create_or_link" as const, ...overrides };
      policies.set(id, pol);
      return pol;
    };
    const identity = (providerId: string, overrides: Partial<VerifiedIdentity> = {}): VerifiedIdentity => ({
      providerId,
      subject: `sub-${n}-${Math.random().toString(36).slice(2, 8)}`,
      email: null,
      emailVerified: false,
      name: "Upstream Name",
      usernameHint: null,
      claims: { name: "Upstream Name" },
      amr: null,
      authTime: null,
      ...overrides,
    });
    const localUser = (
      username: string,
      data: { email?: string; emailVerified?: boolean; locked?: boolean; claims?: Record<string, string> } = {},
    ) =>
      p.db.user.create({
        data: {
          username,
          email: data.email ?? null,
          emailVerified: data.emailVerified ?? false,
          locked: data.locked ?? false,
          passwordHash: "scrypt$x",
          claims: data.claims ?? {},
          roles: [],
        },
      });
    const events = async (subject?: string): Promise<Record<string, unknown>[]> =>
      (await p.db.auditEvent.findMany({ where: subject ? { subject } : {}, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })).map((e) => ({
        type: e.type,
        ...(e.details as Record<string, unknown>),
      }));

    beforeAll(async () => {
      p = await startPortcullis(kind, { clock: true });
      deps = {
        store: p.store,
        audit: p.ctx.stores.audit,
        handoffs: createHandoffs(p.ctx.stores.grants, p.ctx.now),
        now: p.ctx.now,
        provider: async (id) => policies.get(id) ?? null,
      };
    });
    afterAll(async () => {
      await p?.close();
    });
    beforeEach(async () => {
      await p.db.auditEvent.deleteMany();
    });

    it("signs nobody in through a disabled or deleted provider", async () => {
      const off = policy({ enabled: false });
      expect(await decideExternalSignIn(deps, identity(off.id), FLOW)).toEqual({
        kind: "refused",
        code: "provider_unavailable",
        providerId: off.id,
      });
      expect(await decideExternalSignIn(deps, identity("deleted"), FLOW)).toEqual({
        kind: "refused",
        code: "provider_unavailable",
        providerId: "deleted",
      });
      expect(await events()).toEqual([
        { type: "external_login_refused", provider: off.id, upstreamSubject: expect.any(String), reason: "provider_unavailable" },
        { type: "external_login_refused", provider: "deleted", upstreamSubject: expect.any(String), reason: "provider_unavailable" },
      ]);
    });

    it("creates a user from the mapped claims on a first sign-in (create_or_link), then signs the same user in", async () => {
      const pol = policy();
      const who = identity(pol.id, {
        email: "Hana@Corp.example".toLowerCase(),
        emailVerified: true,
        usernameHint: "Hana.K",
        claims: { name: "Hana K", locale: "de" },
        amr: ["pwd", "otp"],
      });
      const first = await decideExternalSignIn(deps, who, FLOW);
      expect(first).toMatchObject({ kind: "signed_in", providerId: pol.id, amr: ["pwd", "otp"], created: true, linked: true });
      const userId = first.kind === "signed_in" ? first.userId : "";
      const user = await p.db.user.findUniqueOrThrow({ where: { id: userId } });
      expect(user).toMatchObject({
        username: "hana.k",
        email: "hana@corp.example",
        emailVerified: true,
        passwordHash: null,
        claims: { name: "Hana K", locale: "de" },
      });
      expect((await events(userId)).map((e) => e.type)).toEqual(["external_login_created", "external_login_succeeded"]);

      // The second time: the same user, the mapped claims updated, the session amr "fed" when the upstream says none.
      p.clock.now += 60_000;
      const again = await decideExternalSignIn(deps, { ...who, amr: null, claims: { name: "Hana Kim", locale: "de" } }, FLOW);
      expect(again).toMatchObject({ kind: "signed_in", userId, created: false, linked: false, amr: ["fed"] });
      expect((await p.db.user.findUniqueOrThrow({ where: { id: userId } })).claims).toEqual({ name: "Hana Kim", locale: "de" });
      expect((await p.store.findLink(pol.id, who.subject))!.link.lastUsedAt).toEqual(new Date(p.clock.now));
      expect((await events(userId)).map((e) => e.type)).toEqual([
        "external_login_created",
        "external_login_succeeded",
        "external_login_succeeded",
      ]);
    });

    it("keeps an unverified upstream email off a new user", async () => {
      const pol = policy();
      const out = await decideExternalSignIn(deps, identity(pol.id, { email: "ivo@corp.example", emailVerified: false }), FLOW);
      const user = await p.db.user.findUniqueOrThrow({ where: { id: out.kind === "signed_in" ? out.userId : "" } });
      expect(user).toMatchObject({ username: "ivo", email: null, emailVerified: false });
    });

    it("refuses a locked user, linked or matched by email", async () => {
      const pol = policy({ trustEmail: true });
      const locked = await localUser(`jo-${kind}`, { email: `jo-${kind}@corp.example`, emailVerified: true, locked: true });
      const who = identity(pol.id, { email: locked.email, emailVerified: true });
      expect(await decideExternalSignIn(deps, who, FLOW)).toEqual({ kind: "refused", code: "account_locked", providerId: pol.id });
      await p.store.link(locked.id, { providerId: pol.id, subject: who.subject, displayName: null, email: null }, new Date(p.clock.now));
      expect(await decideExternalSignIn(deps, who, FLOW)).toEqual({ kind: "refused", code: "account_locked", providerId: pol.id });
      expect(await events(locked.id)).toEqual([
        { type: "external_login_refused", provider: pol.id, upstreamSubject: who.subject, reason: "account_locked" },
        { type: "external_login_refused", provider: pol.id, upstreamSubject: who.subject, reason: "account_locked" },
      ]);
    });

    it("links silently only with trust_email, a verified upstream email and a verified local email", async () => {
      const trusted = policy({ trustEmail: true });
      const kim = await localUser(`kim-${kind}`, { email: `kim-${kind}@corp.example`, emailVerified: true });
      const silent = await decideExternalSignIn(deps, identity(trusted.id, { email: kim.email, emailVerified: true }), FLOW);
      expect(silent).toMatchObject({ kind: "signed_in", userId: kim.id, created: false, linked: true });
      expect((await events(kim.id)).map((e) => [e.type, e.how])).toEqual([
        ["external_login_linked", "trusted_email"],
        ["external_login_succeeded", undefined],
      ]);

      const cases: [Partial<Policy>, boolean, boolean, string][] = [
        [{ trustEmail: false }, true, true, "provider emails are not trusted"],
        [{ trustEmail: true }, false, true, "upstream email not verified"],
        [{ trustEmail: true }, true, false, "local email not verified"],
      ];
      for (const [pol, upstreamVerified, localVerified, reason] of cases) {
        const provider = policy(pol);
        const user = await localUser(`lee-${n}-${kind}`, { email: `lee-${n}-${kind}@corp.example`, emailVerified: localVerified });
        const out = await decideExternalSignIn(deps, identity(provider.id, { email: user.email, emailVerified: upstreamVerified }), FLOW);
        expect(out).toEqual({
          kind: "needs_password_proof",
          providerId: provider.id,
          pendingLink: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
          email: user.email,
        });
        expect(await p.store.listLinks(user.id)).toEqual([]);
        expect(await events(user.id)).toEqual([
          { type: "external_login_link_required", provider: provider.id, upstreamSubject: expect.any(String), reason },
        ]);
      }
    });

    it("links after the password proof, once, for the right user, browser and interaction only", async () => {
      const pol = policy();
      const mo = await localUser(`mo-${kind}`, { email: `mo-${kind}@corp.example` });
      const other = await localUser(`mo-other-${kind}`);
      const who = identity(pol.id, { email: mo.email, emailVerified: true });
      const out = await decideExternalSignIn(deps, who, FLOW);
      const pendingLink = out.kind === "needs_password_proof" ? out.pendingLink : "";

      // Another browser or another interaction: refused, and the pending link survives.
      expect(await linkAfterPasswordProof(deps, { pendingLink, provenUserId: mo.id, ...FLOW, bindingHash: "another-browser" })).toEqual({
        kind: "refused",
        code: "bad_state",
      });
      expect(await linkAfterPasswordProof(deps, { pendingLink, provenUserId: mo.id, ...FLOW, interactionId: "interaction-2" })).toEqual({
        kind: "refused",
        code: "bad_state",
      });
      const linked = await linkAfterPasswordProof(deps, { pendingLink, provenUserId: mo.id, ...FLOW });
      expect(linked).toMatchObject({ kind: "signed_in", userId: mo.id, linked: true, created: false });
      expect((await events(mo.id)).map((e) => [e.type, e.how])).toEqual([
        ["external_login_link_required", undefined],
        ["external_login_linked", "password"],
        ["external_login_succeeded", undefined],
      ]);
      // single use, even at the same time
      expect(await linkAfterPasswordProof(deps, { pendingLink, provenUserId: mo.id, ...FLOW })).toEqual({
        kind: "refused",
        code: "bad_state",
      });

      // The password of another account does not link.
      const who2 = identity(pol.id, { email: mo.email, emailVerified: true });
      const out2 = await decideExternalSignIn(deps, who2, FLOW);
      const pending2 = out2.kind === "needs_password_proof" ? out2.pendingLink : "";
      expect(await linkAfterPasswordProof(deps, { pendingLink: pending2, provenUserId: other.id, ...FLOW })).toEqual({
        kind: "refused",
        code: "wrong_account",
        providerId: pol.id,
      });
      expect(await p.store.findLink(pol.id, who2.subject)).toBeNull();

      // One link per provider per user: a second identity of the same provider is refused after the proof.
      const out4 = await decideExternalSignIn(deps, identity(pol.id, { email: mo.email, emailVerified: true }), FLOW);
      const pending4 = out4.kind === "needs_password_proof" ? out4.pendingLink : "";
      expect(await linkAfterPasswordProof(deps, { pendingLink: pending4, provenUserId: mo.id, ...FLOW })).toEqual({
        kind: "refused",
        code: "provider_linked",
        providerId: pol.id,
      });
      expect((await p.store.listLinks(mo.id)).filter((l) => l.providerId === pol.id)).toHaveLength(1);

      // Two concurrent proofs of one pending link (another provider): one links.
      const pol3 = policy();
      const out3 = await decideExternalSignIn(deps, identity(pol3.id, { email: mo.email, emailVerified: true }), FLOW);
      const pending3 = out3.kind === "needs_password_proof" ? out3.pendingLink : "";
      const both = await Promise.all(
        [1, 2].map(() => linkAfterPasswordProof(deps, { pendingLink: pending3, provenUserId: mo.id, ...FLOW })),
      );
      expect(both.map((o) => o.kind).sort()).toEqual(["refused", "signed_in"]);
    });

    it("lets a pending link expire after ten minutes", async () => {
      const pol = policy();
      const ny = await localUser(`ny-${kind}`, { email: `ny-${kind}@corp.example` });
      const out = await decideExternalSignIn(deps, identity(pol.id, { email: ny.email }), FLOW);
      p.clock.now += 10 * 60_000 + 1;
      expect(
        await linkAfterPasswordProof(deps, {
          pendingLink: out.kind === "needs_password_proof" ? out.pendingLink : "",
          provenUserId: ny.id,
          ...FLOW,
        }),
      ).toEqual({ kind: "refused", code: "bad_state" });
    });

    it("refuses the proof when the identity was linked to someone else meanwhile, or the user got locked", async () => {
      const pol = policy();
      const oz = await localUser(`oz-${kind}`, { email: `oz-${kind}@corp.example` });
      const thief = await localUser(`oz-thief-${kind}`);
      const who = identity(pol.id, { email: oz.email });
      const out = await decideExternalSignIn(deps, who, FLOW);
      await p.store.link(thief.id, { providerId: pol.id, subject: who.subject, displayName: null, email: null }, new Date(p.clock.now));
      expect(
        await linkAfterPasswordProof(deps, {
          pendingLink: out.kind === "needs_password_proof" ? out.pendingLink : "",
          provenUserId: oz.id,
          ...FLOW,
        }),
      ).toEqual({ kind: "refused", code: "identity_taken", providerId: pol.id });

      const who2 = identity(pol.id, { email: oz.email });
      const out2 = await decideExternalSignIn(deps, who2, FLOW);
      await p.db.user.update({ where: { id: oz.id }, data: { locked: true } });
      expect(
        await linkAfterPasswordProof(deps, {
          pendingLink: out2.kind === "needs_password_proof" ? out2.pendingLink : "",
          provenUserId: oz.id,
          ...FLOW,
        }),
      ).toEqual({ kind: "refused", code: "account_locked", providerId: pol.id });
    });

    it("follows first_login: link finds no account, create refuses a taken email", async () => {
      const linkOnly = policy({ firstLogin: "link" });
      expect(await decideExternalSignIn(deps, identity(linkOnly.id, { email: "nobody@corp.example", emailVerified: true }), FLOW)).toEqual({
        kind: "refused",
        code: "no_account",
        providerId: linkOnly.id,
      });
      const pia = await localUser(`pia-${kind}`, { email: `pia-${kind}@corp.example`, emailVerified: true });
      const trustedLinkOnly = policy({ firstLogin: "link", trustEmail: true });
      expect(await decideExternalSignIn(deps, identity(trustedLinkOnly.id, { email: pia.email, emailVerified: true }), FLOW)).toMatchObject(
        { kind: "signed_in", userId: pia.id, linked: true },
      );
      const createOnly = policy({ firstLogin: "create", trustEmail: true });
      expect(await decideExternalSignIn(deps, identity(createOnly.id, { email: pia.email, emailVerified: true }), FLOW)).toEqual({
        kind: "refused",
        code: "email_in_use",
        providerId: createOnly.id,
      });
      const fresh = await decideExternalSignIn(
        deps,
        identity(createOnly.id, { email: `quinn-${kind}@corp.example`, emailVerified: true }),
        FLOW,
      );
      expect(fresh).toMatchObject({ kind: "signed_in", created: true });
      expect(await p.db.user.count({ where: { email: pia.email } })).toBe(1);
    });

    it("gives concurrent first sign-ins of one identity one user", async () => {
      const pol = policy();
      const who = identity(pol.id, { usernameHint: `rae-${kind}` });
      const outs = await Promise.all([1, 2, 3].map(() => decideExternalSignIn(deps, who, FLOW)));
      expect(outs.every((o) => o.kind === "signed_in")).toBe(true);
      expect(new Set(outs.map((o) => (o.kind === "signed_in" ? o.userId : "")).values()).size).toBe(1);
      expect(await p.db.user.count({ where: { username: { startsWith: `rae-${kind}` } } })).toBe(1);
    });
  });
}

describe("usernames for new users", () => {
  const who = (o: Partial<VerifiedIdentity>): VerifiedIdentity => ({
    providerId: "corp",
    subject: "1",
    email: null,
    emailVerified: false,
    name: null,
    usernameHint: null,
    claims: {},
    amr: null,
    authTime: null,
    ...o,
  });
  it("come from the upstream username, the email, the name, or the provider", () => {
    expect(usernameCandidates(who({ usernameHint: "Zoë Ångström", email: "z@x.example" }))).toEqual([
      "zoe-angstrom",
      "zoe-angstrom-2",
      "zoe-angstrom-3",
    ]);
    expect(usernameCandidates(who({ email: "first.last+tag@x.example" }))[0]).toBe("first.last-tag");
    expect(usernameCandidates(who({ name: "Ünal Öz" }))[0]).toBe("unal-oz");
    expect(usernameCandidates(who({ usernameHint: "@@@", name: "李" }))[0]).toBe("corp-user");
  });
});
