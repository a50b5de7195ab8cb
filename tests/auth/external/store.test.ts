/** The identity provider store on SQLite and PostgreSQL: sealed secrets, change versions, links, new users under races. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProviderExists } from "@/lib/auth/external/ports";
import { databaseKinds } from "../../helpers/databases";
import { providerData, startPortcullis, SERVER_SECRET, type TestPortcullis } from "./setup";
import { SecretBox } from "@/lib/oidc/crypto";
import { createPrismaIdentityProviderStore } from "@/lib/stores/prisma/identity-providers";

const link = (subject: string, providerId = "corp") => ({
  providerId,
  subject,
  displayName: `Name ${subject}`,
  email: `${subject}@corp.example`,
});
const AT = new Date("2026-03-01T10:00:00.000Z");

for (const kind of databaseKinds) {
  describe(`identity provider store (${kind})`, () => {
    let p: TestPortcullis;
    beforeAll(async () => {
      p = await startPortcullis(kind);
    });
    afterAll(async () => {
      await p?.close();
    });

    it("creates, reads, updates and deletes providers; the secret is sealed at rest", async () => {
      const v0 = await p.store.version();
      const created = await p.store.createProvider(
        providerData({
          id: "crud",
          issuer: "https://sso.corp.example",
          clientSecret: "plain-secret-value",
          emailDomains: ["Corp.Example"],
          claims: { name: "display_name" },
        }),
      );
      expect(created).toMatchObject({
        id: "crud",
        clientSecret: "plain-secret-value",
        emailDomains: ["corp.example"],
        claims: { name: "display_name" },
        enabled: true,
      });
      const row = await p.db.identityProvider.findUniqueOrThrow({ where: { id: "crud" } });
      expect(row.clientSecret).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      expect(row.clientSecret).not.toContain("plain-secret-value");
      expect(await p.store.version()).toBe(v0 + 1);
      await expect(p.store.createProvider(providerData({ id: "crud", issuer: "https://x.example" }))).rejects.toBeInstanceOf(
        ProviderExists,
      );

      const { id: _id, clientSecret: _s, ...rest } = providerData({ id: "crud", issuer: "https://sso.corp.example" });
      const kept = await p.store.updateProvider("crud", { ...rest, displayName: "Renamed", enabled: false });
      expect(kept).toMatchObject({ displayName: "Renamed", enabled: false, clientSecret: "plain-secret-value" });
      expect((await p.store.updateProvider("crud", { ...rest, clientSecret: "second-secret" }))!.clientSecret).toBe("second-secret");
      expect((await p.store.updateProvider("crud", { ...rest, clientSecret: null }))!.clientSecret).toBeNull();
      expect(await p.store.updateProvider("nobody", rest)).toBeNull();
      expect(await p.store.version()).toBeGreaterThan(v0 + 3);

      expect((await p.store.listProviders()).map((r) => r.id)).toContain("crud");
      expect(await p.store.deleteProvider("crud")).toBe(true);
      expect(await p.store.deleteProvider("crud")).toBe(false);
      expect(await p.store.findProvider("crud")).toBeNull();
    });

    it("refuses to open a secret sealed under another server secret", async () => {
      await p.store.createProvider(providerData({ id: "sealed", issuer: "https://sso.corp.example", clientSecret: "s" }));
      const other = createPrismaIdentityProviderStore(p.db, kind, await SecretBox.fromSecret(SERVER_SECRET + "-other", "upstream-secrets"));
      await expect(other.findProvider("sealed")).rejects.toThrow(
        "sealed value cannot be opened: wrong PORTCULLIS_SECRET or corrupted data",
      );
      await p.store.deleteProvider("sealed");
    });

    it("links an upstream identity once: the database decides between concurrent links", async () => {
      const [a, b] = await Promise.all([
        p.db.user.create({ data: { username: `link-a-${kind}`, claims: {}, roles: [] } }),
        p.db.user.create({ data: { username: `link-b-${kind}`, claims: {}, roles: [] } }),
      ]);
      const results = await Promise.all([p.store.link(a.id, link("race-1"), AT), p.store.link(b.id, link("race-1"), AT)]);
      expect(results.map((r) => r.status).sort()).toEqual(["linked", "taken"]);
      const winner = results.find((r) => r.status === "linked")!;
      const loserId = winner.link.userId === a.id ? b.id : a.id;
      expect(await p.store.link(winner.link.userId, link("race-1"), AT)).toMatchObject({ status: "already_linked" });
      expect(await p.store.link(loserId, link("race-1"), AT)).toEqual({ status: "taken", userId: winner.link.userId });

      const found = await p.store.findLink("corp", "race-1");
      expect(found).toMatchObject({
        link: { providerId: "corp", subject: "race-1", email: "race-1@corp.example", lastUsedAt: AT },
        user: { id: winner.link.userId, hasPassword: false, locked: false },
      });
      expect(await p.store.listLinks(winner.link.userId)).toHaveLength(1);
      expect(await p.store.unlink(loserId, found!.link.id)).toBe(false);
      expect(await p.store.unlink(winner.link.userId, found!.link.id)).toBe(true);
      expect(await p.store.findLink("corp", "race-1")).toBeNull();
    });

    it("keeps one link per provider per user: of two concurrent links of one user to one provider, one is made", async () => {
      const u = await p.db.user.create({ data: { username: `one-per-${kind}`, claims: {}, roles: [] } });
      const results = await Promise.all([
        p.store.link(u.id, link("per-1", "solo"), AT),
        p.store.link(u.id, { ...link("per-2", "solo"), used: false }, AT),
        p.store.link(u.id, link("per-3", "solo"), AT),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(["linked", "provider_linked", "provider_linked"]);
      const made = results.find((r) => r.status === "linked")!.link;
      for (const r of results.filter((r) => r.status === "provider_linked")) expect(r).toEqual({ status: "provider_linked", link: made });
      expect(await p.store.listLinks(u.id)).toEqual([made]);
      // another provider is another link; a link made from the account page is not a use
      expect(await p.store.link(u.id, { ...link("per-4", "other"), used: false }, AT)).toMatchObject({
        status: "linked",
        link: { providerId: "other", lastUsedAt: null },
      });
      // the identity itself already linked to this user stays already_linked (not provider_linked)
      expect(await p.store.link(u.id, link(made.subject, "solo"), AT)).toEqual({ status: "already_linked", link: made });
    });

    it("creates a user with a unique username and the link, atomically, even for concurrent first sign-ins", async () => {
      await p.db.user.create({ data: { username: "dana", claims: {}, roles: [] } });
      const input = (subject: string, email: string | null) => ({
        usernames: ["dana", "dana-2"],
        email,
        emailVerified: true,
        claims: { name: "Dana" },
        link: link(subject),
        at: AT,
      });
      const created = await p.store.createUserWithLink(input("dana-1", "dana@corp.example"));
      expect(created).toMatchObject({
        status: "created",
        user: { username: "dana-2", email: "dana@corp.example", emailVerified: true, hasPassword: false, claims: { name: "Dana" } },
        link: { subject: "dana-1" },
      });
      // all names taken: a random suffix
      const third = await p.store.createUserWithLink(input("dana-3", null));
      expect(third.status === "created" && third.user.username).toMatch(/^dana-[0-9a-f]{6}$/);
      expect(third.status === "created" && third.user.email).toBeNull();
      expect(await p.store.createUserWithLink(input("dana-4", "DANA@corp.example"))).toEqual({ status: "email_taken" });
      expect(await p.store.createUserWithLink(input("dana-1", null))).toEqual({ status: "link_exists" });

      // Five concurrent first sign-ins of one identity: one user, the others are told the link exists.
      const racing = await Promise.all(
        Array.from({ length: 5 }, () => p.store.createUserWithLink({ ...input("erin-1", null), usernames: ["erin"] })),
      );
      expect(racing.filter((r) => r.status === "created")).toHaveLength(1);
      expect(racing.filter((r) => r.status === "link_exists")).toHaveLength(4);
      // Five concurrent sign-ins of different identities wanting the same name: five users, five names.
      const names = await Promise.all(
        Array.from({ length: 5 }, (_, i) => p.store.createUserWithLink({ ...input(`finn-${i}`, null), usernames: ["finn", "finn-2"] })),
      );
      const usernames = names.map((r) => (r.status === "created" ? r.user.username : r.status));
      expect(new Set(usernames).size).toBe(5);
      expect(usernames).toContain("finn");
      expect(usernames).toContain("finn-2");
    });

    it("records a sign-in: link use, last login, and mapped claims merged without losing others", async () => {
      const user = await p.db.user.create({ data: { username: `gale-${kind}`, claims: { locale: "fr", name: "Old" }, roles: [] } });
      const r = await p.store.link(user.id, link("gale-1"), AT);
      const later = new Date("2026-03-02T10:00:00.000Z");
      // an admin edits another claim at the same moment
      await Promise.all([
        p.store.recordSignIn(r.status === "linked" ? r.link.id : "", {
          at: later,
          displayName: "Gale G.",
          email: "gale@new.example",
          claims: { name: "Gale", picture: "https://img.example/g.png" },
        }),
        p.db.$executeRawUnsafe(
          kind === "postgresql"
            ? `UPDATE "User" SET "claims" = "claims" || '{"zoneinfo":"Europe/Paris"}'::jsonb WHERE "id" = '${user.id}'`
            : `UPDATE "User" SET "claims" = json_patch("claims", '{"zoneinfo":"Europe/Paris"}') WHERE "id" = '${user.id}'`,
        ),
      ]);
      const after = await p.db.user.findUniqueOrThrow({ where: { id: user.id } });
      expect(after.claims).toEqual({ locale: "fr", name: "Gale", picture: "https://img.example/g.png", zoneinfo: "Europe/Paris" });
      expect(after.lastLoginAt).toEqual(later);
      expect(await p.store.findLink("corp", "gale-1")).toMatchObject({
        link: { displayName: "Gale G.", email: "gale@new.example", lastUsedAt: later },
      });
      expect(await p.store.findUserByEmail("nobody@corp.example")).toBeNull();
    });
  });
}
