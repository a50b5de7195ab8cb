import { afterAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/db";
import { migrate } from "@/lib/db/migrate";
import { ConfigImportError, exportConfig, importConfig } from "@/lib/admin/config-transfer";
import { createPrismaConfigRepository } from "@/lib/stores/prisma/config-repository";
import { verifyPassword } from "@/lib/auth/password";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../helpers/databases";
import { SecretBox } from "@/lib/oidc";
import { createPrismaIdentityProviderStore } from "@/lib/stores/prisma/identity-providers";

const SECRET = "client-secret-client-secret-client-secret";
const opened: { db: Db; database: TestDatabase }[] = [];
afterAll(async () => {
  for (const { db, database } of opened) {
    await db.$disconnect();
    await database.drop();
  }
});

const box = () => SecretBox.fromSecret("config-import-test-secret-config-import-test", "upstream-secrets");

async function fresh(kind: "sqlite" | "postgresql") {
  const database = await createTestDatabase(kind);
  await migrate(database.url);
  const db = createDb(database.url);
  opened.push({ db, database });
  return { db, repo: createPrismaConfigRepository(db, await box()) };
}

const UPSTREAM_SECRET = "upstream-secret-never-exported";
const providers = () => [
  {
    id: "corp",
    display_name: "Corp SSO",
    type: "oidc",
    issuer: "https://sso.corp.example",
    client_id: "portcullis",
    client_secret: UPSTREAM_SECRET,
    claims: { preferred_username: "upn" },
    email_domains: ["corp.example"],
    first_login: "link",
  },
  { id: "github", display_name: "GitHub", type: "github", client_id: "Iv1.abc", client_secret: "gh-secret", trust_email: true },
];

const file = () => ({
  identity_resources: [
    { name: "openid", claims: ["sub"] },
    { name: "profile", claims: ["name"] },
  ],
  api_resources: [
    {
      name: "https://orders.example",
      signing_alg: "ES256",
      secrets: [{ value: "api-secret-api-secret-api-secret-123", description: "introspection" }],
      scopes: [{ name: "orders.read" }, { name: "orders.write", description: "Change orders" }],
    },
  ],
  clients: [
    {
      client_id: "svc",
      client_name: "Service",
      client_secret: SECRET,
      grant_types: ["client_credentials"],
      scope: "orders.read orders.write",
      portcullis: { access_token_format: "reference" },
    },
    {
      client_id: "web",
      client_name: "Web",
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
      redirect_uris: ["https://app.example/cb"],
      scope: "openid profile orders.read",
    },
  ],
  users: [
    { username: "alice", email: "alice@example.com", password: "correct horse battery", roles: ["admin"], claims: { name: "Alice" } },
  ],
});

async function problemsOf(p: Promise<unknown>) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigImportError);
  return (err as ConfigImportError).problems;
}

for (const kind of databaseKinds) {
  describe(`configuration import and export (${kind})`, () => {
    it("imports every kind of entry, stores secrets only as hashes, and is idempotent", async () => {
      const { db, repo } = await fresh(kind);
      expect(await importConfig(repo, file())).toEqual({ created: 6, updated: 0 });
      expect(await importConfig(repo, file())).toEqual({ created: 0, updated: 6 });
      expect(await db.client.count()).toBe(2);
      expect(await db.apiScope.count()).toBe(2);
      expect(await db.clientSecret.count()).toBe(1);
      const dump = JSON.stringify(await db.clientSecret.findMany()) + JSON.stringify(await db.apiResourceSecret.findMany());
      expect(dump).not.toContain(SECRET);
      expect(dump).not.toContain("api-secret-api-secret");
      const client = await db.client.findUniqueOrThrow({ where: { clientId: "svc" } });
      expect(client).toMatchObject({ accessTokenFormat: "reference", allowedScopes: ["orders.read", "orders.write"], kind: "machine" });
    });

    it("keeps a user's password hash when the password did not change, and re-hashes when it did", async () => {
      const { db, repo } = await fresh(kind);
      await importConfig(repo, file());
      const first = (await db.user.findUniqueOrThrow({ where: { username: "alice" } })).passwordHash!;
      expect(first).toMatch(/^scrypt\$/);
      expect(await verifyPassword("correct horse battery", first)).toBe(true);
      await importConfig(repo, file());
      expect((await db.user.findUniqueOrThrow({ where: { username: "alice" } })).passwordHash).toBe(first);
      const changed = file();
      changed.users[0]!.password = "another good password";
      await importConfig(repo, changed);
      const second = (await db.user.findUniqueOrThrow({ where: { username: "alice" } })).passwordHash!;
      expect(await verifyPassword("another good password", second)).toBe(true);
    });

    it("lists every problem with its path and writes nothing", async () => {
      const { db, repo } = await fresh(kind);
      const bad = file() as Record<string, unknown> & ReturnType<typeof file>;
      (bad.clients[0] as Record<string, unknown>).client_secret = "short";
      (bad.clients[1] as Record<string, unknown>).grant_types = ["client_credentials"];
      (bad.users[0] as Record<string, unknown>).email = "not-an-email";
      (bad.api_resources[0] as Record<string, unknown>).signing_alg = "HS256";
      (bad as Record<string, unknown>).surprise = true;
      const problems = await problemsOf(importConfig(repo, bad));
      const paths = problems.map((p) => p.path).sort();
      expect(paths).toEqual(["", "api_resources[0].signing_alg", "clients[0].client_secret", "clients[1].grant_types", "users[0].email"]);
      expect(problems.find((p) => p.path === "clients[1].grant_types")!.message).toBe(
        "Client credentials needs a confidential client: choose an authentication method other than none.",
      );
      expect(await db.client.count()).toBe(0);
      expect(await db.apiResource.count()).toBe(0);
    });

    it("checks references: unknown scopes, duplicates, scope names owned elsewhere, missing secrets", async () => {
      const { db, repo } = await fresh(kind);
      const bad = file();
      bad.clients[0]!.scope = "orders.read nope";
      bad.clients.push({ ...bad.clients[0]!, scope: "orders.read" });
      bad.identity_resources.push({ name: "orders.read", claims: [] });
      bad.clients.push({ client_id: "nosecret", client_name: "No secret", grant_types: ["client_credentials"], scope: "" } as never);
      const problems = await problemsOf(importConfig(repo, bad));
      expect(problems).toEqual(
        expect.arrayContaining([
          { path: "clients[2].client_id", message: "duplicate client_id svc" },
          { path: "clients[0].scope", message: "unknown scope nope" },
          { path: "api_resources[0].scopes[0].name", message: "scope name orders.read is already used by an identity resource" },
          { path: "clients[3].client_secret", message: "client_secret_basic needs client_secret or secrets" },
        ]),
      );
      expect(await db.identityResource.count()).toBe(0);
    });

    it("rolls back everything when the database refuses a row half-way", async () => {
      const { db, repo } = await fresh(kind);
      await importConfig(repo, { users: [{ username: "bob", email: "shared@example.com" }] });
      const conflicting = file();
      conflicting.users[0]!.email = "shared@example.com";
      const problems = await problemsOf(importConfig(repo, conflicting));
      expect(problems[0]!.message).toContain("already used by another entry");
      expect(await db.client.count()).toBe(0);
      expect(await db.user.count()).toBe(1);
    });

    it("exports the same format, secrets as hashes, and the export imports back unchanged", async () => {
      const { repo } = await fresh(kind);
      await importConfig(repo, file());
      const exported = await exportConfig(repo);
      expect(JSON.stringify(exported)).not.toContain(SECRET);
      expect(exported.clients.find((c) => c.client_id === "svc")!.secrets![0]!.hash).toMatch(/^sha256:/);
      expect(exported.users[0]!.password_hash).toMatch(/^scrypt\$/);
      const other = await fresh(kind);
      await importConfig(other.repo, exported);
      expect(await exportConfig(other.repo)).toEqual(exported);
    });

    it("accepts the RFC 7591 and OpenID Connect Registration names, each with one meaning, and round-trips them", async () => {
      const { repo } = await fresh(kind);
      const f = file();
      f.clients.push(
        {
          client_id: "cli",
          client_name: "CLI",
          token_endpoint_auth_method: "none",
          grant_types: ["authorization_code", "refresh_token"],
          redirect_uris: ["http://127.0.0.1/cb", "com.example.cli:/cb"],
          scope: "openid offline_access orders.read",
          application_type: "native",
          contacts: ["ops@example.com"],
          software_id: "cli-tool",
          software_version: "2.1.0",
          default_max_age: 3600,
          require_auth_time: true,
          id_token_signed_response_alg: "RS256",
          subject_type: "public",
        } as never,
        {
          client_id: "signer",
          client_name: "Signer",
          token_endpoint_auth_method: "private_key_jwt",
          token_endpoint_auth_signing_alg: "ES256",
          jwks: {
            keys: [
              {
                kty: "EC",
                crv: "P-256",
                x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
                y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
              },
            ],
          },
          grant_types: ["client_credentials"],
          scope: "orders.read",
        } as never,
      );
      await importConfig(repo, f);
      const exported = await exportConfig(repo);
      const cli = exported.clients.find((c) => c.client_id === "cli")!;
      expect(cli).toMatchObject({
        scope: "openid orders.read",
        application_type: "native",
        contacts: ["ops@example.com"],
        software_id: "cli-tool",
        software_version: "2.1.0",
        default_max_age: 3600,
        require_auth_time: true,
        portcullis: { kind: "native", allow_offline_access: true },
      });
      expect(exported.clients.find((c) => c.client_id === "signer")).toMatchObject({
        token_endpoint_auth_signing_alg: "ES256",
        application_type: "web",
      });
      const other = await fresh(kind);
      await importConfig(other.repo, exported);
      expect(await exportConfig(other.repo)).toEqual(exported);
    });

    it("explains contradicting or unsupported registration values", async () => {
      const { repo } = await fresh(kind);
      const f = file();
      Object.assign(f.clients[1]!, { application_type: "native", portcullis: { kind: "spa" } });
      Object.assign(f.clients[0]!, { token_endpoint_auth_signing_alg: "ES256" });
      expect(await problemsOf(importConfig(repo, f))).toEqual([
        { path: "clients[0].token_endpoint_auth_signing_alg", message: "only used with private_key_jwt" },
        { path: "clients[1].application_type", message: "native contradicts portcullis.kind spa" },
      ]);
      const g = file();
      Object.assign(g.clients[1]!, { id_token_signed_response_alg: "HS256", subject_type: "ephemeral" });
      expect(await problemsOf(importConfig(repo, g))).toEqual([
        { path: "clients[1].id_token_signed_response_alg", message: "ID tokens are signed with RS256 only" },
        { path: "clients[1].subject_type", message: "must be one of public, pairwise" },
      ]);
    });

    it("replaces an API resource's scope list and keeps secrets when the file gives none", async () => {
      const { db, repo } = await fresh(kind);
      await importConfig(repo, file());
      const next = file();
      next.api_resources[0]!.scopes = [{ name: "orders.read" }] as never;
      delete (next.api_resources[0] as Record<string, unknown>).secrets;
      next.clients = next.clients.map((c) => ({ ...c, scope: c.scope.replace(" orders.write", "") }));
      delete (next.clients[0] as Record<string, unknown>).client_secret;
      await importConfig(repo, next);
      expect((await db.apiScope.findMany()).map((s) => s.name)).toEqual(["orders.read"]);
      expect(await db.apiResourceSecret.count()).toBe(1);
      expect(await db.clientSecret.count()).toBe(1);
    });

    it("imports identity providers with sealed secrets, keeps a secret the file omits, and never exports it", async () => {
      const { db, repo } = await fresh(kind);
      const stamp = async () => (await db.changeStamp.findUnique({ where: { key: "identity-providers" } }))?.version ?? 0;
      expect(await importConfig(repo, { identity_providers: providers() })).toEqual({ created: 2, updated: 0 });
      expect(await stamp()).toBe(1);
      const row = await db.identityProvider.findUniqueOrThrow({ where: { id: "corp" } });
      expect(row.clientSecret).not.toContain(UPSTREAM_SECRET);
      const store = createPrismaIdentityProviderStore(db, kind, await box());
      expect((await store.findProvider("corp"))!.clientSecret).toBe(UPSTREAM_SECRET);

      const exported = await exportConfig(repo);
      expect(JSON.stringify(exported)).not.toContain(UPSTREAM_SECRET);
      expect(JSON.stringify(exported)).not.toContain("gh-secret");
      expect(exported.identity_providers).toEqual([
        {
          id: "corp",
          display_name: "Corp SSO",
          type: "oidc",
          issuer: "https://sso.corp.example",
          client_id: "portcullis",
          enabled: true,
          claims: { preferred_username: "upn" },
          trust_email: false,
          first_login: "link",
          email_domains: ["corp.example"],
        },
        {
          id: "github",
          display_name: "GitHub",
          type: "github",
          client_id: "Iv1.abc",
          enabled: true,
          claims: {},
          trust_email: true,
          first_login: "create_or_link",
          email_domains: [],
        },
      ]);

      // The export imports back: an update that keeps the secrets, and changes nothing else.
      expect(await importConfig(repo, exported)).toMatchObject({ created: 0 });
      expect(await exportConfig(repo)).toEqual(exported);
      expect((await store.findProvider("corp"))!.clientSecret).toBe(UPSTREAM_SECRET);
      expect((await store.findProvider("github"))!.clientSecret).toBe("gh-secret");
      expect(await stamp()).toBe(2);
    });

    it("lists identity provider problems by path and writes nothing", async () => {
      const { db, repo } = await fresh(kind);
      const bad = [
        ...providers(),
        { id: "corp", display_name: "Again", type: "github", client_id: "x" },
        { id: "o", display_name: "O", type: "oidc", client_id: "x" },
      ];
      const err = await importConfig(repo, { ...file(), identity_providers: bad }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigImportError);
      expect((err as ConfigImportError).problems).toEqual([
        { path: "identity_providers[3].issuer", message: "an oidc provider needs its issuer (its discovery document is read from there)" },
      ]);
      const dup = await importConfig(repo, { ...file(), identity_providers: bad.slice(0, 3) }).catch((e: unknown) => e);
      expect((dup as ConfigImportError).problems).toEqual([
        { path: "identity_providers[2].id", message: "duplicate identity provider corp" },
      ]);
      expect(await db.identityProvider.count()).toBe(0);
      expect(await db.client.count()).toBe(0);
    });
  });
}
