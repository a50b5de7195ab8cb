/** The configuration file's reads and writes on Prisma; see lib/admin/config-transfer.ts for the rules. */
import type { Db } from "../../db";
import type { SecretBox } from "../../oidc";
import { Prisma } from "../../generated/sqlite/client";
import { ConfigImportError, describeEntry, type ConfigRepository, type ImportMode, type StoredSecret } from "../../admin/config-transfer";
import { notFound } from "../../admin/errors";
import type { ConfigFile } from "../../schemas/config-file";
import { bumpChange, isUniqueViolation } from "./index";

type Tx = Prisma.TransactionClient;
const json = (v: unknown) => v as Prisma.InputJsonValue;
const strings = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : []);
const opt = <T>(v: T | null): T | undefined => v ?? undefined;

/**
 * `upstreamSecrets` seals identity providers' client secrets (the box of the identity provider
 * store); without it a file with an identity provider's client_secret is refused.
 */
export function createPrismaConfigRepository(db: Db, upstreamSecrets?: SecretBox): ConfigRepository {
  return {
    async snapshot(about) {
      // Clients, API resources and users only as far as the file names them: a database may hold 100,000 users.
      const [scopes, identities, clients, apis, users] = await Promise.all([
        db.apiScope.findMany({ select: { name: true, apiResource: { select: { name: true } } } }),
        db.identityResource.findMany({ select: { name: true } }),
        about.clients.length
          ? db.client.findMany({
              where: { clientId: { in: about.clients } },
              select: { clientId: true, _count: { select: { secrets: true } } },
            })
          : [],
        about.api_resources.length ? db.apiResource.findMany({ where: { name: { in: about.api_resources } }, select: { name: true } }) : [],
        about.users.length
          ? db.user.findMany({ where: { username: { in: about.users } }, select: { username: true, passwordHash: true } })
          : [],
      ]);
      return {
        scopeOwners: new Map([
          ...scopes.map((s) => [s.name, `api:${s.apiResource.name}`] as const),
          ...identities.map((r) => [r.name, "identity"] as const),
        ]),
        stored: {
          clients: new Set(clients.map((c) => c.clientId)),
          api_resources: new Set(apis.map((r) => r.name)),
          identity_resources: new Set(identities.map((r) => r.name)),
          users: new Set(users.map((u) => u.username)),
        },
        clientsWithSecrets: new Set(clients.filter((c) => c._count.secrets > 0).map((c) => c.clientId)),
        passwordHashes: new Map(users.map((u) => [u.username, u.passwordHash])),
      };
    },

    async apply(plan) {
      // Sealed before the transaction: the box's work needs no database.
      const sealed = await Promise.all(
        plan.file.identity_providers.map(async (p, i) => {
          if (p.client_secret === undefined) return undefined;
          if (!upstreamSecrets)
            throw new ConfigImportError([
              { path: `identity_providers[${i}].client_secret`, message: "client secrets cannot be sealed here" },
            ]);
          return upstreamSecrets.seal(p.client_secret);
        }),
      );
      try {
        return await db.$transaction(
          async (tx) => {
            let created = 0;
            let updated = 0;
            const count = (wasThere: boolean) => (wasThere ? updated++ : created++);
            const { mode } = plan;
            for (const r of plan.file.identity_resources) count(await writeIdentityResource(tx, mode, r));
            for (const [i, r] of plan.file.api_resources.entries()) count(await writeApiResource(tx, mode, r, plan.apiResourceSecrets[i]));
            for (const [i, c] of plan.file.clients.entries()) count(await writeClient(tx, mode, c, plan.clientSecrets[i]));
            for (const [i, u] of plan.file.users.entries()) count(await writeUser(tx, mode, u, plan.passwordHashes[i]));
            for (const [i, p] of plan.file.identity_providers.entries()) count(await writeIdentityProvider(tx, p, sealed[i]));
            await bumpChange(tx, "config");
            if (plan.file.identity_providers.length) await bumpChange(tx, "identity-providers");
            return { created, updated };
          },
          { timeout: 60_000 },
        );
      } catch (err) {
        if (isUniqueViolation(err)) {
          const target = (err as { meta?: { target?: unknown } }).meta?.target;
          throw new ConfigImportError([
            {
              path: "",
              message: `a value that must be unique is already used by another entry (${String(target ?? "unique constraint")})`,
            },
          ]);
        }
        throw err;
      }
    },

    async read() {
      const [identity, apis, clients, users, providers] = await Promise.all([
        db.identityResource.findMany({ orderBy: { name: "asc" } }),
        db.apiResource.findMany({ include: { scopes: { orderBy: { name: "asc" } }, secrets: true }, orderBy: { name: "asc" } }),
        db.client.findMany({ include: { secrets: true }, orderBy: { clientId: "asc" } }),
        db.user.findMany({ orderBy: { username: "asc" } }),
        db.identityProvider.findMany({ orderBy: { id: "asc" } }),
      ]);
      const secrets = (list: { hash: string; description: string | null; expiresAt: Date | null }[]) =>
        list.map((s) => ({
          hash: s.hash,
          ...(s.description ? { description: s.description } : {}),
          ...(s.expiresAt ? { expires_at: s.expiresAt.toISOString() } : {}),
        }));
      const file: ConfigFile = {
        identity_resources: identity.map((r) => ({
          name: r.name,
          display_name: opt(r.displayName),
          description: opt(r.description),
          claims: strings(r.claims),
          required: r.required,
          emphasize: r.emphasize,
          show_in_discovery: r.showInDiscovery,
          enabled: r.enabled,
        })),
        api_resources: apis.map((r) => ({
          name: r.name,
          display_name: opt(r.displayName),
          description: opt(r.description),
          enabled: r.enabled,
          signing_alg: r.signingAlg as ConfigFile["api_resources"][number]["signing_alg"],
          user_claims: strings(r.userClaims),
          secrets: secrets(r.secrets),
          scopes: r.scopes.map((s) => ({
            name: s.name,
            display_name: opt(s.displayName),
            description: opt(s.description),
            required: s.required,
            emphasize: s.emphasize,
            show_in_discovery: s.showInDiscovery,
            enabled: s.enabled,
            user_claims: strings(s.userClaims),
          })),
        })),
        clients: clients.map((c) => ({
          ...clientToFile(c),
          ...(c.secrets.length ? { secrets: secrets(c.secrets) } : {}),
        })),
        users: users.map((u) => ({
          username: u.username,
          email: opt(u.email),
          email_verified: u.emailVerified,
          password_hash: opt(u.passwordHash),
          claims: (u.claims ?? {}) as Record<string, unknown>,
          roles: strings(u.roles),
          locked: u.locked,
        })),
        identity_providers: providers.map(providerToFile),
      };
      return JSON.parse(JSON.stringify(file)) as ConfigFile; // drops undefined keys
    },
  };
}

/** One row's writes, by its unique key. */
interface RowWrites {
  find(): Promise<{ id: string } | null>;
  create(): Promise<{ id: string }>;
  update(): Promise<{ id: string }>;
  upsert(): Promise<{ id: string }>;
}

/**
 * Writes a row as the mode says; returns its id and whether it was there before. "create" and
 * "update" do not look first: the database decides, by the unique key (an entry created meanwhile
 * makes the insert fail) or by the update finding no row (one deleted meanwhile).
 */
async function put(mode: ImportMode, what: string, row: RowWrites): Promise<{ id: string; existed: boolean }> {
  if (mode === "create") return { id: (await row.create()).id, existed: false };
  if (mode === "update") {
    try {
      return { id: (await row.update()).id, existed: true };
    } catch (err) {
      if (isRecordMissing(err)) throw notFound(what);
      throw err;
    }
  }
  const found = await row.find();
  return { id: (await row.upsert()).id, existed: Boolean(found) };
}

/** Prisma's P2025: the row an update needs does not exist. */
const isRecordMissing = (err: unknown) => typeof err === "object" && err !== null && (err as { code?: string }).code === "P2025";

const id = { select: { id: true } } as const;

async function writeIdentityResource(tx: Tx, mode: ImportMode, r: ConfigFile["identity_resources"][number]): Promise<boolean> {
  const data = {
    displayName: r.display_name ?? null,
    description: r.description ?? null,
    claims: json(r.claims),
    required: r.required,
    emphasize: r.emphasize,
    showInDiscovery: r.show_in_discovery,
    enabled: r.enabled,
  };
  const where = { name: r.name };
  const { existed } = await put(mode, describeEntry("identity_resources", r.name), {
    find: () => tx.identityResource.findUnique({ where, ...id }),
    create: () => tx.identityResource.create({ data: { name: r.name, ...data }, ...id }),
    update: () => tx.identityResource.update({ where, data, ...id }),
    upsert: () => tx.identityResource.upsert({ where, create: { name: r.name, ...data }, update: data, ...id }),
  });
  return existed;
}

async function writeApiResource(
  tx: Tx,
  mode: ImportMode,
  r: ConfigFile["api_resources"][number],
  secrets: StoredSecret[] | undefined,
): Promise<boolean> {
  const data = {
    displayName: r.display_name ?? null,
    description: r.description ?? null,
    enabled: r.enabled,
    signingAlg: r.signing_alg,
    userClaims: json(r.user_claims),
  };
  const where = { name: r.name };
  const { id: apiResourceId, existed } = await put(mode, describeEntry("api_resources", r.name), {
    find: () => tx.apiResource.findUnique({ where, ...id }),
    create: () => tx.apiResource.create({ data: { name: r.name, ...data }, ...id }),
    update: () => tx.apiResource.update({ where, data, ...id }),
    upsert: () => tx.apiResource.upsert({ where, create: { name: r.name, ...data }, update: data, ...id }),
  });
  await tx.apiScope.deleteMany({ where: { apiResourceId, name: { notIn: r.scopes.map((s) => s.name) } } });
  for (const s of r.scopes) {
    const scope = {
      displayName: s.display_name ?? null,
      description: s.description ?? null,
      required: s.required,
      emphasize: s.emphasize,
      showInDiscovery: s.show_in_discovery,
      enabled: s.enabled,
      userClaims: json(s.user_claims),
      apiResourceId,
    };
    await tx.apiScope.upsert({ where: { name: s.name }, create: { name: s.name, ...scope }, update: scope });
  }
  if (secrets) {
    await tx.apiResourceSecret.deleteMany({ where: { apiResourceId } });
    await tx.apiResourceSecret.createMany({ data: secrets.map((s) => ({ ...s, apiResourceId })) });
  }
  return existed;
}

async function writeClient(
  tx: Tx,
  mode: ImportMode,
  c: ConfigFile["clients"][number],
  secrets: StoredSecret[] | undefined,
): Promise<boolean> {
  const data = clientData(c);
  const where = { clientId: c.client_id };
  const { id: clientId, existed } = await put(mode, describeEntry("clients", c.client_id), {
    find: () => tx.client.findUnique({ where, ...id }),
    create: () => tx.client.create({ data: { clientId: c.client_id, ...data }, ...id }),
    update: () => tx.client.update({ where, data, ...id }),
    upsert: () => tx.client.upsert({ where, create: { clientId: c.client_id, ...data }, update: data, ...id }),
  });
  if (secrets) {
    await tx.clientSecret.deleteMany({ where: { clientId } });
    await tx.clientSecret.createMany({ data: secrets.map((s) => ({ ...s, clientId })) });
  }
  return existed;
}

async function writeUser(
  tx: Tx,
  mode: ImportMode,
  u: ConfigFile["users"][number],
  passwordHash: string | null | undefined,
): Promise<boolean> {
  const data = {
    email: u.email ?? null,
    emailVerified: u.email_verified,
    claims: json(u.claims),
    roles: json(u.roles),
    locked: u.locked,
    ...(passwordHash !== undefined ? { passwordHash } : {}),
  };
  const where = { username: u.username };
  const { existed } = await put(mode, describeEntry("users", u.username), {
    find: () => tx.user.findUnique({ where, ...id }),
    create: () => tx.user.create({ data: { username: u.username, ...data }, ...id }),
    update: () => tx.user.update({ where, data, ...id }),
    upsert: () => tx.user.upsert({ where, create: { username: u.username, ...data }, update: data, ...id }),
  });
  return existed;
}

type ProviderFile = ConfigFile["identity_providers"][number];
type ProviderRow = Awaited<ReturnType<Db["identityProvider"]["findUniqueOrThrow"]>>;

/** An identity provider's columns from its file entry, the secret apart. */
function providerColumns(p: ProviderFile) {
  return {
    displayName: p.display_name,
    type: p.type,
    issuer: p.issuer ?? null,
    authorizationEndpoint: p.authorization_endpoint ?? null,
    tokenEndpoint: p.token_endpoint ?? null,
    userinfoEndpoint: p.userinfo_endpoint ?? null,
    tenant: p.tenant ?? null,
    clientId: p.client_id,
    scope: p.scope ?? null,
    enabled: p.enabled,
    claims: json(p.claims),
    trustEmail: p.trust_email,
    firstLogin: p.first_login,
    emailDomains: json([...new Set(p.email_domains)]),
  };
}

/** Merged by id; `sealedSecret` undefined keeps the stored secret. */
async function writeIdentityProvider(tx: Tx, p: ProviderFile, sealedSecret: string | undefined): Promise<boolean> {
  const data = { ...providerColumns(p), ...(sealedSecret !== undefined ? { clientSecret: sealedSecret } : {}) };
  const found = await tx.identityProvider.findUnique({ where: { id: p.id }, select: { id: true } });
  await tx.identityProvider.upsert({ where: { id: p.id }, create: { id: p.id, ...data }, update: data, select: { id: true } });
  return Boolean(found);
}

/** An identity provider row in the file's format, never with its client secret. */
function providerToFile(r: ProviderRow): ProviderFile {
  return {
    id: r.id,
    display_name: r.displayName,
    type: r.type as ProviderFile["type"],
    issuer: opt(r.issuer),
    authorization_endpoint: opt(r.authorizationEndpoint),
    token_endpoint: opt(r.tokenEndpoint),
    userinfo_endpoint: opt(r.userinfoEndpoint),
    tenant: opt(r.tenant),
    client_id: r.clientId,
    scope: opt(r.scope),
    enabled: r.enabled,
    claims: (r.claims ?? {}) as Record<string, string>,
    trust_email: r.trustEmail,
    first_login: r.firstLogin as ProviderFile["first_login"],
    email_domains: strings(r.emailDomains),
  };
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
    response_types: strings(c.responseTypes) as ClientFile["response_types"],
    redirect_uris: strings(c.redirectUris),
    post_logout_redirect_uris: strings(c.postLogoutRedirectUris),
    scope: strings(c.allowedScopes).join(" "),
    jwks: (c.jwks as ClientFile["jwks"]) ?? undefined,
    client_uri: opt(c.clientUri),
    logo_uri: opt(c.logoUri),
    policy_uri: opt(c.policyUri),
    tos_uri: opt(c.tosUri),
    application_type: c.kind === "native" ? "native" : "web",
    token_endpoint_auth_signing_alg: opt(c.tokenEndpointAuthSigningAlg) as ClientFile["token_endpoint_auth_signing_alg"],
    default_max_age: c.defaultMaxAge ?? undefined,
    require_pushed_authorization_requests: c.requirePushedAuthorizationRequests,
    subject_type: c.subjectType === "pairwise" ? "pairwise" : "public",
    request_object_signing_alg: opt(c.requestObjectSigningAlg) as ClientFile["request_object_signing_alg"],
    require_signed_request_object: c.requireSignedRequestObject,
    backchannel_logout_uri: opt(c.backchannelLogoutUri),
    backchannel_logout_session_required: c.backchannelLogoutSessionRequired,
    frontchannel_logout_uri: opt(c.frontchannelLogoutUri),
    frontchannel_logout_session_required: c.frontchannelLogoutSessionRequired,
    dpop_bound_access_tokens: c.dpopBoundAccessTokens,
    ...((c.metadata ?? {}) as Pick<ClientFile, "contacts" | "software_id" | "software_version" | "require_auth_time">),
    portcullis: {
      kind: c.kind as ClientFile["portcullis"]["kind"],
      enabled: c.enabled,
      description: opt(c.description),
      access_token_format: c.accessTokenFormat as "jwt" | "reference",
      access_token_lifetime: c.accessTokenLifetime,
      id_token_lifetime: c.idTokenLifetime,
      authorization_code_lifetime: c.authorizationCodeLifetime,
      refresh_token_absolute_lifetime: c.refreshTokenAbsoluteLifetime,
      refresh_token_sliding_lifetime: c.refreshTokenSlidingLifetime,
      refresh_token_reuse_grace: c.refreshTokenReuseGrace,
      allow_offline_access: c.allowOfflineAccess,
      require_pkce: c.requirePkce,
      require_consent: c.requireConsent,
      allow_remember_consent: c.allowRememberConsent,
      id_token_user_claims: c.idTokenUserClaims,
      require_mfa: c.requireMfa,
      pushed_request_lifetime: c.pushedRequestLifetime,
      sector_identifier: opt(c.sectorIdentifier),
      device_code_lifetime: c.deviceCodeLifetime,
      device_poll_interval: c.devicePollInterval,
      token_exchange: tokenExchangeOf(c.tokenExchange),
      profile: c.profile as ClientFile["portcullis"]["profile"],
    },
  };
}

/** The stored token exchange policy, with the schema's defaults for what an older row lacks. */
export function tokenExchangeOf(v: unknown): ClientFile["portcullis"]["token_exchange"] {
  const t = (v ?? {}) as Partial<ClientFile["portcullis"]["token_exchange"]>;
  return {
    impersonation: t.impersonation ?? false,
    delegation: t.delegation ?? false,
    audiences: strings(t.audiences),
    subject_clients: strings(t.subject_clients),
  };
}

/**
 * Every column of a client, so none is left to a database default: the defaults are the zod
 * schema's (lib/schemas/client.ts), applied when the entry was parsed.
 */
type ClientColumns = Required<
  Omit<Prisma.ClientUncheckedCreateInput, "id" | "clientId" | "createdAt" | "updatedAt" | "secrets" | "registrationAccessTokenHash">
>;

/** The columns of a client from its file entry (secrets excluded). */
export function clientData(c: Omit<ClientFile, "client_secret" | "secrets">): ClientColumns {
  const p = c.portcullis;
  return {
    clientName: c.client_name,
    description: p.description ?? null,
    enabled: p.enabled,
    kind: p.kind,
    tokenEndpointAuthMethod: c.token_endpoint_auth_method,
    grantTypes: json(c.grant_types),
    responseTypes: json(c.response_types ?? (c.grant_types.includes("authorization_code") ? ["code"] : [])),
    redirectUris: json(c.redirect_uris),
    postLogoutRedirectUris: json(c.post_logout_redirect_uris),
    allowedScopes: json([...new Set(c.scope.split(" ").filter(Boolean))]),
    jwks: c.jwks ? json(c.jwks) : Prisma.DbNull,
    clientUri: c.client_uri ?? null,
    logoUri: c.logo_uri ?? null,
    policyUri: c.policy_uri ?? null,
    tosUri: c.tos_uri ?? null,
    accessTokenFormat: p.access_token_format,
    accessTokenLifetime: p.access_token_lifetime,
    idTokenLifetime: p.id_token_lifetime,
    authorizationCodeLifetime: p.authorization_code_lifetime,
    refreshTokenAbsoluteLifetime: p.refresh_token_absolute_lifetime,
    refreshTokenSlidingLifetime: p.refresh_token_sliding_lifetime,
    refreshTokenReuseGrace: p.refresh_token_reuse_grace,
    allowOfflineAccess: p.allow_offline_access,
    requirePkce: p.require_pkce,
    requireConsent: p.require_consent,
    allowRememberConsent: p.allow_remember_consent,
    idTokenUserClaims: p.id_token_user_claims,
    requireMfa: p.require_mfa,
    pushedRequestLifetime: p.pushed_request_lifetime,
    deviceCodeLifetime: p.device_code_lifetime,
    devicePollInterval: p.device_poll_interval,
    tokenExchange: json(p.token_exchange),
    requirePushedAuthorizationRequests: c.require_pushed_authorization_requests,
    subjectType: c.subject_type,
    requestObjectSigningAlg: c.request_object_signing_alg ?? null,
    requireSignedRequestObject: c.require_signed_request_object,
    sectorIdentifier: p.sector_identifier ?? null,
    backchannelLogoutUri: c.backchannel_logout_uri ?? null,
    backchannelLogoutSessionRequired: c.backchannel_logout_session_required,
    frontchannelLogoutUri: c.frontchannel_logout_uri ?? null,
    frontchannelLogoutSessionRequired: c.frontchannel_logout_session_required,
    dpopBoundAccessTokens: c.dpop_bound_access_tokens,
    profile: p.profile,
    tokenEndpointAuthSigningAlg: c.token_endpoint_auth_signing_alg ?? null,
    defaultMaxAge: c.default_max_age ?? null,
    metadata: json(
      Object.fromEntries(
        Object.entries({
          contacts: c.contacts,
          software_id: c.software_id,
          software_version: c.software_version,
          require_auth_time: c.require_auth_time,
        }).filter(([, v]) => v !== undefined),
      ),
    ),
    // Not in the file format (clients register jwks); kept empty.
    jwksUri: null,
  };
}
