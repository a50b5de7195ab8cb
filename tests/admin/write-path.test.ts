/**
 * Clients are written like every console entity: through the import, one entry at a time, in one
 * transaction that bumps the change stamp; "create" and "update" are decided by the database.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createAdmin } from "@/lib/admin";
import { importConfig, type ImportPlan } from "@/lib/admin/config-transfer";
import { errorCodeOf, type AdminError } from "@/lib/admin/errors";
import { verifySecret } from "@/lib/oidc/crypto";
import { startSession } from "@/lib/oidc/session";
import { createPrismaClientAdminStore } from "@/lib/stores/prisma/clients-admin";
import { createPrismaConfigRepository } from "@/lib/stores/prisma/config-repository";
import { createPrismaOutboxStore } from "@/lib/stores/prisma/outbox";
import { createPrismaDirectoryStore } from "@/lib/stores/prisma/directory";
import { databaseKinds } from "../helpers/databases";
import { createPrismaIdentityProviderStore } from "@/lib/stores/prisma/identity-providers";
import { SecretBox } from "@/lib/oidc";
import { databasePool, prismaProvider, testClock } from "../helpers/prisma-provider";

const pool = databasePool();
afterAll(() => pool.dropAll());

async function setup(kind: "sqlite" | "postgresql") {
  const database = await pool.create(kind);
  const { ctx, db } = await prismaProvider(database.url, testClock());
  database.track(db);
  const repo = createPrismaConfigRepository(db);
  await importConfig(repo, {
    identity_resources: [{ name: "openid", claims: ["sub"] }],
    api_resources: [{ name: "https://orders.example", scopes: [{ name: "orders.read" }] }],
    users: [{ username: "root", roles: ["admin"] }],
  });
  const admin = createAdmin({
    provider: ctx,
    clients: createPrismaClientAdminStore(db),
    directory: createPrismaDirectoryStore(db, kind),
    config: repo,
    identityProviders: createPrismaIdentityProviderStore(db, kind, await SecretBox.fromSecret("x".repeat(32), "upstream-secrets")),
    outbox: createPrismaOutboxStore(db),
    mailer: { mode: "outbox" },
  });
  const root = await db.user.findUniqueOrThrow({ where: { username: "root" } });
  const principal = (await admin.access.fromSession((await startSession(ctx, { userId: root.id, amr: ["pwd"] })).handle))!;
  const stamp = async () => (await db.changeStamp.findUnique({ where: { key: "config" } }))?.version ?? 0;
  return { db, repo, admin, principal, stamp };
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected a failure");
    },
    (err: AdminError) => ({ code: errorCodeOf(err), message: err.message, problems: err.problems }),
  );

for (const kind of databaseKinds) {
  describe(`the console's write path (${kind})`, () => {
    it("creates a client through the import: its first secret shown once, stored as a hash, the change stamp bumped, audited", async () => {
      const { db, admin, principal, stamp } = await setup(kind);
      const before = await stamp();
      const { client, client_secret } = await admin.clients.create(principal, {
        client_id: "billing",
        client_name: "Billing",
        scope: "orders.read",
        portcullis: { kind: "machine" },
      });
      expect(client).toMatchObject({
        client_id: "billing",
        token_endpoint_auth_method: "client_secret_basic",
        grant_types: ["client_credentials"],
        portcullis: { access_token_lifetime: 3600 },
      });
      expect(client.secrets).toEqual([expect.objectContaining({ description: "created with the client", expiresAt: null })]);
      const [stored] = await db.clientSecret.findMany();
      expect(await verifySecret(client_secret!, stored!.hash)).toBe(true);
      expect(stored!.hash).not.toContain(client_secret);
      expect(await stamp()).toBeGreaterThan(before);
      const events = await db.auditEvent.findMany({ where: { type: "admin.client_created" } });
      expect(events.map((e) => [e.actor, e.clientId])).toEqual([["user:root", "billing"]]);
      expect(JSON.stringify(events)).not.toContain(client_secret);
    });

    it("reports the import's problems as the entry's own fields, and writes nothing", async () => {
      const { db, admin, principal } = await setup(kind);
      expect(
        await failure(
          admin.clients.create(principal, {
            client_id: "spa",
            client_name: "SPA",
            scope: "openid nope",
            redirect_uris: ["https://app.example/cb"],
            portcullis: { kind: "spa" },
          }),
        ),
      ).toEqual({
        code: "validation_failed",
        message: "the request has invalid fields",
        problems: [{ path: "scope", message: "unknown scope nope" }],
      });
      await admin.clients.create(principal, { client_id: "taken", client_name: "Taken", portcullis: { kind: "machine" } });
      expect(
        (await failure(admin.clients.create(principal, { client_id: "taken", client_name: "Again", portcullis: { kind: "machine" } })))
          .problems,
      ).toEqual([{ path: "client_id", message: "client_id taken is already registered" }]);
      expect(await db.client.count()).toBe(1);
      expect(await db.clientSecret.count()).toBe(1);
    });

    it("lets exactly one of two concurrent creates of a client_id win, and keeps the winner's secret", async () => {
      const { db, admin, principal } = await setup(kind);
      const body = { client_id: "twice", client_name: "Twice", portcullis: { kind: "machine" } };
      const results = await Promise.allSettled([admin.clients.create(principal, body), admin.clients.create(principal, body)]);
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(won).toHaveLength(1);
      // Whether the loser's check ran before or after the winner committed, it hears the same.
      expect(lost.map((r) => [errorCodeOf(r.reason), r.reason.problems])).toEqual([
        ["validation_failed", [{ path: "client_id", message: "client_id twice is already registered" }]],
      ]);
      const secrets = await db.clientSecret.findMany();
      expect(secrets).toHaveLength(1);
      expect(
        await verifySecret((won[0] as PromiseFulfilledResult<{ client_secret?: string }>).value.client_secret!, secrets[0]!.hash),
      ).toBe(true);
    });

    it("updates a client in place, keeps its secrets, and lets a public client become confidential before it has one", async () => {
      const { db, admin, principal } = await setup(kind);
      await admin.clients.create(principal, {
        client_id: "app",
        client_name: "App",
        scope: "openid",
        redirect_uris: ["https://app.example/cb"],
        portcullis: { kind: "spa" },
      });
      const view = await admin.clients.get(principal, "app");
      // registered_dynamically is read-only: sent back, it is ignored.
      const { secrets: _s, created_at: _c, updated_at: _u, ...settings } = view;
      const confidential = await admin.clients.update(principal, "app", {
        ...settings,
        token_endpoint_auth_method: "client_secret_basic",
        client_name: "App v2",
      });
      expect(confidential).toMatchObject({ client_name: "App v2", token_endpoint_auth_method: "client_secret_basic", secrets: [] });
      await admin.clients.addSecret(principal, "app", { description: "first" });
      await admin.clients.update(principal, "app", {
        ...settings,
        token_endpoint_auth_method: "client_secret_basic",
        client_name: "App v3",
      });
      expect((await admin.clients.get(principal, "app")).secrets.map((s) => s.description)).toEqual(["first"]);
      expect(await db.auditEvent.count({ where: { type: "admin.client_updated" } })).toBe(2);
      expect(await failure(admin.clients.update(principal, "ghost", settings))).toEqual({
        code: "not_found",
        message: "client ghost not found",
        problems: [],
      });
    });

    it("refuses, in the database, an update of an entry deleted since the import looked", async () => {
      const { db, repo } = await setup(kind);
      const plan = (file: Partial<ImportPlan["file"]>): ImportPlan => ({
        mode: "update",
        file: { clients: [], api_resources: [], identity_resources: [], users: [], identity_providers: [], ...file },
        clientSecrets: [undefined],
        apiResourceSecrets: [undefined],
        passwordHashes: [undefined],
      });
      expect(
        await failure(repo.apply(plan({ users: [{ username: "gone", email_verified: false, claims: {}, roles: [], locked: false }] }))),
      ).toEqual({ code: "not_found", message: "user gone not found", problems: [] });
      expect(await db.user.count({ where: { username: "gone" } })).toBe(0);
    });

    it("creates API resources and users the same way: a taken name is the entry's field, an unknown one on update is not found", async () => {
      const { admin, principal } = await setup(kind);
      expect(
        (await failure(admin.directory.apiResources.save(principal, { name: "https://orders.example", scopes: [] }))).problems,
      ).toEqual([{ path: "name", message: "https://orders.example already exists" }]);
      expect((await failure(admin.directory.users.save(principal, { username: "root" }))).problems).toEqual([
        { path: "username", message: "root already exists" },
      ]);
      expect((await failure(admin.directory.users.save(principal, { username: "nobody" }, "nobody"))).message).toBe(
        "user nobody not found",
      );
    });
  });
}
