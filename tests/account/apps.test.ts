import { afterAll, describe, expect, it } from "vitest";
import { startSession, token } from "@/lib/oidc";
import { myApps, revokeMyApp } from "@/lib/account/service";
import { importConfig } from "@/lib/admin/config-transfer";
import { createPrismaConfigRepository } from "@/lib/stores/prisma/config-repository";
import { createPrismaAccountStore } from "@/lib/stores/prisma/account";
import { rememberConsent } from "@/lib/oidc/interaction/consent";
import { createRefreshToken } from "@/lib/oidc/tokens/user-tokens";
import { databaseKinds } from "../helpers/databases";
import { databasePool, prismaProvider, testClock } from "../helpers/prisma-provider";
import { basic, formRequest } from "../helpers/provider";

const pool = databasePool();
afterAll(() => pool.dropAll());

const SECRET = "notes-secret-notes-secret-notes-secret";

async function setup(kind: "sqlite" | "postgresql") {
  const database = await pool.create(kind);
  const clock = testClock();
  const p = await prismaProvider(database.url, clock);
  database.track(p.db);
  await p.ctx.keys.maintain();
  await importConfig(createPrismaConfigRepository(p.db), {
    identity_resources: [
      { name: "openid", claims: ["sub"] },
      { name: "profile", claims: ["name"] },
    ],
    clients: [
      {
        client_id: "notes",
        client_name: "Notes",
        client_secret: SECRET,
        logo_uri: "https://notes.example/logo.png",
        grant_types: ["authorization_code", "refresh_token"],
        redirect_uris: ["https://notes.example/cb"],
        scope: "openid profile offline_access",
        portcullis: { kind: "web" },
      },
    ],
    users: [{ username: "alice" }, { username: "bob" }],
  });
  const alice = await p.db.user.findUniqueOrThrow({ where: { username: "alice" } });
  const bob = await p.db.user.findUniqueOrThrow({ where: { username: "bob" } });
  const client = (await p.ctx.config.client("notes"))!;
  const grantFor = async (subject: string, familyId: string) => {
    await rememberConsent(p.ctx, subject, client, ["openid", "profile"]);
    const grant = {
      subject,
      sessionId: "s",
      scopes: ["openid", "offline_access"],
      resources: [],
      authTime: 0,
      amr: ["pwd"],
      familyId,
      familyCreatedAt: clock.now,
    };
    return createRefreshToken(p.ctx, client, grant);
  };
  const refresh = async (rt: string) => {
    const res = await token(
      formRequest("/connect/token", { grant_type: "refresh_token", refresh_token: rt }, basic("notes", SECRET)),
      p.ctx,
    );
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const session = (userId: string) => startSession(p.ctx, { userId, amr: ["pwd"] }).then((s) => s.handle);
  return { ...p, store: createPrismaAccountStore(p.db, kind), alice, bob, grantFor, refresh, session };
}

for (const kind of databaseKinds) {
  describe(`account connected apps (${kind})`, () => {
    it("lists the apps I granted with name, logo, scopes and date", async () => {
      const p = await setup(kind);
      await p.grantFor(p.alice.id, "fam-a");
      expect(await myApps(p.ctx, p.store, await p.session(p.alice.id))).toEqual([
        {
          clientId: "notes",
          name: "Notes",
          logoUri: "https://notes.example/logo.png",
          scopes: ["openid", "profile"],
          grantedAt: expect.any(Date),
        },
      ]);
      expect(await myApps(p.ctx, p.store, await p.session(p.bob.id))).toEqual([]);
      expect(await myApps(p.ctx, p.store, undefined)).toBeNull();
    });

    it("revoke removes the consent and my tokens of that client: its refresh token is then invalid_grant; another user's stay", async () => {
      const p = await setup(kind);
      const mine = await p.grantFor(p.alice.id, "fam-a");
      const bobs = await p.grantFor(p.bob.id, "fam-b");
      const rotated = (await p.refresh(mine)).body.refresh_token as string;
      expect(rotated).toBeTruthy();

      const handle = await p.session(p.alice.id);
      expect(await revokeMyApp(p.ctx, p.store, handle, "notes")).toBe("revoked");
      expect(await p.refresh(rotated)).toEqual({
        status: 400,
        body: { error: "invalid_grant", error_description: "refresh token is invalid" },
      });
      expect(await myApps(p.ctx, p.store, handle)).toEqual([]);
      expect(await revokeMyApp(p.ctx, p.store, handle, "notes")).toBe("not_found");
      const audit = await p.db.auditEvent.findMany({ where: { type: "consent_revoked" } });
      expect(audit.map((e) => [e.actor, e.clientId, e.details])).toEqual([
        [
          p.alice.id,
          "notes", // the consent, the rotated refresh token and the used one kept for reuse detection
          { removed: 3, families: 1, from: "account_apps" },
        ],
      ]);

      expect((await p.refresh(bobs)).status).toBe(200);
      expect(await myApps(p.ctx, p.store, await p.session(p.bob.id))).toHaveLength(1);
    });
  });
}
