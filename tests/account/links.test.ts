import { afterAll, describe, expect, it } from "vitest";
import { startSession } from "@/lib/oidc";
import { myLinks, unlinkMyLogin } from "@/lib/account/service";
import { createPrismaAccountStore } from "@/lib/stores/prisma/account";
import { databaseKinds } from "../helpers/databases";
import { databasePool, prismaProvider, testClock } from "../helpers/prisma-provider";

const pool = databasePool();
afterAll(() => pool.dropAll());

async function setup(kind: "sqlite" | "postgresql", passwordHash: string | null) {
  const database = await pool.create(kind);
  const p = await prismaProvider(database.url, testClock());
  database.track(p.db);
  await p.db.user.create({ data: { id: "u-erin", username: "erin", passwordHash, claims: {}, roles: [] } });
  await p.db.user.create({ data: { id: "u-bob", username: "bob", claims: {}, roles: [] } });
  const link = (id: string, userId: string, provider: string) =>
    p.db.externalLogin.create({
      data: { id, userId, provider, providerAccountId: `${provider}-${userId}`, displayName: "Erin Upstream", email: "erin@upstream.test" },
    });
  const handle = (await startSession(p.ctx, { userId: "u-erin", amr: ["ext"] })).handle;
  const instance = async () => createPrismaAccountStore(database.track((await prismaProvider(database.url, testClock())).db), kind);
  return { ...p, store: createPrismaAccountStore(p.db, kind), link, handle, instance };
}

for (const kind of databaseKinds) {
  describe(`account linked logins (${kind})`, () => {
    it("lists my links with the provider's name, the upstream name and email and dates", async () => {
      const p = await setup(kind, null);
      await p.link("l-gh", "u-erin", "github");
      await p.link("l-bob", "u-bob", "github");
      const names = async (id: string) => (id === "github" ? "GitHub" : null);
      expect(await myLinks(p.ctx, p.store, p.handle, names)).toEqual([
        {
          id: "l-gh",
          provider: "github",
          providerName: "GitHub",
          displayName: "Erin Upstream",
          email: "erin@upstream.test",
          createdAt: expect.any(Date),
          lastUsedAt: null,
        },
      ]);
    });

    it("unlinks while another way to sign in remains, refuses the last one, and never touches another user's link; audited", async () => {
      const p = await setup(kind, null);
      await p.link("l-gh", "u-erin", "github");
      await p.link("l-gl", "u-erin", "gitlab");
      await p.link("l-bob", "u-bob", "github");
      expect(await unlinkMyLogin(p.ctx, p.store, p.handle, "l-bob")).toBe("not_found");
      expect(await p.db.externalLogin.count({ where: { id: "l-bob" } })).toBe(1);
      expect(await unlinkMyLogin(p.ctx, p.store, p.handle, "l-gh")).toBe("unlinked");
      expect(await unlinkMyLogin(p.ctx, p.store, p.handle, "l-gl")).toBe("last_login");
      expect((await myLinks(p.ctx, p.store, p.handle))!.map((l) => l.id)).toEqual(["l-gl"]);
      expect(await unlinkMyLogin(p.ctx, p.store, undefined, "l-gl")).toBe("not_signed_in");
      const audit = await p.db.auditEvent.findMany({
        where: { type: { startsWith: "external_login_unlink" } },
        orderBy: { createdAt: "asc" },
      });
      expect(audit.map((e) => [e.type, (e.details as { linkId: string }).linkId])).toEqual(
        expect.arrayContaining([
          ["external_login_unlinked", "l-gh"],
          ["external_login_unlink_refused", "l-gl"],
          ["external_login_unlink_refused", "l-bob"],
        ]),
      );
    });

    it("with a password the last link can go", async () => {
      const p = await setup(kind, "$scrypt$fake");
      await p.link("l-gh", "u-erin", "github");
      expect(await unlinkMyLogin(p.ctx, p.store, p.handle, "l-gh")).toBe("unlinked");
    });

    it("two instances unlink the last two links at once: exactly one succeeds", async () => {
      const p = await setup(kind, null);
      await p.link("l-gh", "u-erin", "github");
      await p.link("l-gl", "u-erin", "gitlab");
      const other = await p.instance();
      const results = await Promise.all([p.store.unlink("u-erin", "l-gh"), other.unlink("u-erin", "l-gl")]);
      expect(results.sort()).toEqual(["last_login", "unlinked"]);
      expect(await p.db.externalLogin.count({ where: { userId: "u-erin" } })).toBe(1);
    });
  });
}
