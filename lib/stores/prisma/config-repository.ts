/** The configuration file's reads and writes on Prisma; see lib/admin/config-transfer.ts for the rules. */
import type { Db } from "../../db";
import { Prisma } from "../../generated/sqlite/client";
import { ConfigImportError, type ConfigRepository, type ImportPlan, type StoredSecret } from "../../admin/config-transfer";
import type { ConfigFile } from "../../schemas/config-file";
import { bumpChange, isUniqueViolation } from "./index";

type Tx = Prisma.TransactionClient;
const json = (v: unknown) => v as Prisma.InputJsonValue;
const strings = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : []);
const opt = <T>(v: T | null): T | undefined => v ?? undefined;

export function createPrismaConfigRepository(db: Db): ConfigRepository {
  return {
    async snapshot(about) {
      // Clients and users only as far as the file names them: a database may hold 100,000 users.
      const [scopes, identities, clients, users] = await Promise.all([
        db.apiScope.findMany({ select: { name: true, apiResource: { select: { name: true } } } }),
        db.identityResource.findMany({ select: { name: true } }),
        about.clientIds.length ? db.client.findMany({ where: { clientId: { in: about.clientIds }, secrets: { some: {} } }, select: { clientId: true } }) : [],
        about.usernames.length ? db.user.findMany({ where: { username: { in: about.usernames } }, select: { username: true, passwordHash: true } }) : [],
      ]);
      return {
        scopeOwners: new Map([...scopes.map((s) => [s.name, `api:${s.apiResource.name}`] as const), ...identities.map((r) => [r.name, "identity"] as const)]),
        clientsWithSecrets: new Set(clients.map((c) => c.clientId)),
        passwordHashes: new Map(users.map((u) => [u.username, u.passwordHash])),
      };
    },

    async apply(plan) {
      try {
        return await db.$transaction(async (tx) => {
          let created = 0;
          let updated = 0;
          const count = (wasThere: boolean) => (wasThere ? updated++ : created++);
          for (const r of plan.file.identity_resources) count(await upsertIdentityResource(tx, r));
          for (const [i, r] of plan.file.api_resources.entries()) count(await upsertApiResource(tx, r, plan.apiResourceSecrets[i]));
          for (const [i, c] of plan.file.clients.entries()) count(await upsertClient(tx, c, plan.clientSecrets[i]));
          for (const [i, u] of plan.file.users.entries()) count(await upsertUser(tx, u, plan.passwordHashes[i]));
          await bumpChange(tx, "config");
          return { created, updated };
        }, { timeout: 60_000 });
      } catch (err) {
        if (isUniqueViolation(err)) {
          const target = (err as { meta?: { target?: unknown } }).meta?.target;
          throw new ConfigImportError([{ path: "", message: `a value that must be unique is already used by another entry (${String(target ?? "unique constraint")})` }]);
        }
        throw err;
      }
    },

    async read() {
      const [identity, apis, clients, users] = await Promise.all([
        db.identityResource.findMany({ orderBy: { name: "asc" } }),
        db.apiResource.findMany({ include: { scopes: { orderBy: { name: "asc" } }, secrets: true }, orderBy: { name: "asc" } }),
        db.client.findMany({ include: { secrets: true }, orderBy: { clientId: "asc" } }),
        db.user.findMany({ orderBy: { username: "asc" } }),
      ]);
      const secrets = (list: { hash: string; description: string | null; expiresAt: Date | null }[]) =>
        list.map((s) => ({ hash: s.hash, ...(s.description ? { description: s.description } : {}), ...(s.expiresAt ? { expires_at: s.expiresAt.toISOString() } : {}) }));
      const file: ConfigFile = {
        identity_resources: identity.map((r) => ({
          name: r.name, display_name: opt(r.displayName), description: opt(r.description), claims: strings(r.claims),
          required: r.required, emphasize: r.emphasize, show_in_discovery: r.showInDiscovery, enabled: r.enabled,
        })),
        api_resources: apis.map((r) => ({
          name: r.name, display_name: opt(r.displayName), description: opt(r.description), enabled: r.enabled,
          signing_alg: r.signingAlg as ConfigFile["api_resources"][number]["signing_alg"], user_claims: strings(r.userClaims),
          secrets: secrets(r.secrets),
          scopes: r.scopes.map((s) => ({
            name: s.name, display_name: opt(s.displayName), description: opt(s.description), required: s.required,
            emphasize: s.emphasize, show_in_discovery: s.showInDiscovery, enabled: s.enabled, user_claims: strings(s.userClaims),
          })),
        })),
        clients: clients.map((c) => ({
          ...clientToFile(c),
          ...(c.secrets.length ? { secrets: secrets(c.secrets) } : {}),
        })),
        users: users.map((u) => ({
          username: u.username, email: opt(u.email), email_verified: u.emailVerified, password_hash: opt(u.passwordHash),
          claims: (u.claims ?? {}) as Record<string, unknown>, roles: strings(u.roles), locked: u.locked,
        })),
      };
      return JSON.parse(JSON.stringify(file)) as ConfigFile; // drops undefined keys
    },
  };
}

async function upsertIdentityResource(tx: Tx, r: ConfigFile["identity_resources"][number]): Promise<boolean> {
  const data = {
    displayName: r.display_name ?? null, description: r.description ?? null, claims: json(r.claims), required: r.required,
    emphasize: r.emphasize, showInDiscovery: r.show_in_discovery, enabled: r.enabled,
  };
  const existing = await tx.identityResource.findUnique({ where: { name: r.name }, select: { id: true } });
  await tx.identityResource.upsert({ where: { name: r.name }, create: { name: r.name, ...data }, update: data });
  return Boolean(existing);
}

async function upsertApiResource(tx: Tx, r: ConfigFile["api_resources"][number], secrets: StoredSecret[] | undefined): Promise<boolean> {
  const data = {
    displayName: r.display_name ?? null, description: r.description ?? null, enabled: r.enabled, signingAlg: r.signing_alg, userClaims: json(r.user_claims),
  };
  const existing = await tx.apiResource.findUnique({ where: { name: r.name }, select: { id: true } });
  const { id } = await tx.apiResource.upsert({ where: { name: r.name }, create: { name: r.name, ...data }, update: data, select: { id: true } });
  await tx.apiScope.deleteMany({ where: { apiResourceId: id, name: { notIn: r.scopes.map((s) => s.name) } } });
  for (const s of r.scopes) {
    const scope = {
      displayName: s.display_name ?? null, description: s.description ?? null, required: s.required, emphasize: s.emphasize,
      showInDiscovery: s.show_in_discovery, enabled: s.enabled, userClaims: json(s.user_claims), apiResourceId: id,
    };
    await tx.apiScope.upsert({ where: { name: s.name }, create: { name: s.name, ...scope }, update: scope });
  }
  if (secrets) {
    await tx.apiResourceSecret.deleteMany({ where: { apiResourceId: id } });
    await tx.apiResourceSecret.createMany({ data: secrets.map((s) => ({ ...s, apiResourceId: id })) });
  }
  return Boolean(existing);
}

async function upsertClient(tx: Tx, c: ConfigFile["clients"][number], secrets: StoredSecret[] | undefined): Promise<boolean> {
  const data = clientData(c);
  const existing = await tx.client.findUnique({ where: { clientId: c.client_id }, select: { id: true } });
  const { id } = await tx.client.upsert({
    where: { clientId: c.client_id }, create: { clientId: c.client_id, ...data }, update: data, select: { id: true },
  });
  if (secrets) {
    await tx.clientSecret.deleteMany({ where: { clientId: id } });
    await tx.clientSecret.createMany({ data: secrets.map((s) => ({ ...s, clientId: id })) });
  }
  return Boolean(existing);
}

async function upsertUser(tx: Tx, u: ConfigFile["users"][number], passwordHash: string | null | undefined): Promise<boolean> {
  const data = {
    email: u.email ?? null, emailVerified: u.email_verified, claims: json(u.claims), roles: json(u.roles), locked: u.locked,
    ...(passwordHash !== undefined ? { passwordHash } : {}),
  };
  const existing = await tx.user.findUnique({ where: { username: u.username }, select: { id: true } });
  await tx.user.upsert({ where: { username: u.username }, create: { username: u.username, ...data }, update: data });
  return Boolean(existing);
}

type ClientRow = Awaited<ReturnType<Db["client"]["findUniqueOrThrow"]>>;
type ClientFile = ConfigFile["clients"][number];

/** A client row in the file's format (RFC 7591 names), without secrets. */
export function clientToFile(c: ClientRow): Omit<ClientFile, "client_secret" | "secrets"> {
  return {
    client_id: c.clientId,
    client_name: c.clientName,
    token_endpoint_auth_method: c.tokenEndpointAuthMethod as ClientFile["token_endpoint_auth_method"],
    grant_types: strings(c.grantTypes) as ClientFile["grant_types"],
    response_types: strings(c.responseTypes) as "code"[],
    redirect_uris: strings(c.redirectUris),
    post_logout_redirect_uris: strings(c.postLogoutRedirectUris),
    scope: strings(c.allowedScopes).join(" "),
    jwks: (c.jwks as ClientFile["jwks"]) ?? undefined,
    client_uri: opt(c.clientUri), logo_uri: opt(c.logoUri), policy_uri: opt(c.policyUri), tos_uri: opt(c.tosUri),
    application_type: c.kind === "native" ? "native" : "web",
    token_endpoint_auth_signing_alg: opt(c.tokenEndpointAuthSigningAlg) as ClientFile["token_endpoint_auth_signing_alg"],
    default_max_age: c.defaultMaxAge ?? undefined,
    ...((c.metadata ?? {}) as Pick<ClientFile, "contacts" | "software_id" | "software_version" | "require_auth_time">),
    portcullis: {
      kind: c.kind as ClientFile["portcullis"]["kind"], enabled: c.enabled, description: opt(c.description),
      access_token_format: c.accessTokenFormat as "jwt" | "reference", access_token_lifetime: c.accessTokenLifetime,
      id_token_lifetime: c.idTokenLifetime, authorization_code_lifetime: c.authorizationCodeLifetime,
      refresh_token_absolute_lifetime: c.refreshTokenAbsoluteLifetime, refresh_token_sliding_lifetime: c.refreshTokenSlidingLifetime,
      refresh_token_reuse_grace: c.refreshTokenReuseGrace, allow_offline_access: c.allowOfflineAccess, require_pkce: c.requirePkce,
      require_consent: c.requireConsent, allow_remember_consent: c.allowRememberConsent,
    },
  };
}

/** The columns of a client from its file entry (secrets excluded). */
export function clientData(c: Omit<ClientFile, "client_secret" | "secrets">) {
  const p = c.portcullis;
  return {
    clientName: c.client_name, description: p.description ?? null, enabled: p.enabled, kind: p.kind,
    tokenEndpointAuthMethod: c.token_endpoint_auth_method, grantTypes: json(c.grant_types),
    responseTypes: json(c.response_types ?? (c.grant_types.includes("authorization_code") ? ["code"] : [])),
    redirectUris: json(c.redirect_uris), postLogoutRedirectUris: json(c.post_logout_redirect_uris),
    allowedScopes: json([...new Set(c.scope.split(" ").filter(Boolean))]), jwks: c.jwks ? json(c.jwks) : Prisma.DbNull,
    clientUri: c.client_uri ?? null, logoUri: c.logo_uri ?? null, policyUri: c.policy_uri ?? null, tosUri: c.tos_uri ?? null,
    accessTokenFormat: p.access_token_format, accessTokenLifetime: p.access_token_lifetime, idTokenLifetime: p.id_token_lifetime,
    authorizationCodeLifetime: p.authorization_code_lifetime, refreshTokenAbsoluteLifetime: p.refresh_token_absolute_lifetime,
    refreshTokenSlidingLifetime: p.refresh_token_sliding_lifetime, refreshTokenReuseGrace: p.refresh_token_reuse_grace,
    allowOfflineAccess: p.allow_offline_access, requirePkce: p.require_pkce, requireConsent: p.require_consent,
    allowRememberConsent: p.allow_remember_consent,
    tokenEndpointAuthSigningAlg: c.token_endpoint_auth_signing_alg ?? null, defaultMaxAge: c.default_max_age ?? null,
    metadata: json(Object.fromEntries(Object.entries({ contacts: c.contacts, software_id: c.software_id, software_version: c.software_version, require_auth_time: c.require_auth_time })
      .filter(([, v]) => v !== undefined))),
  };
}
