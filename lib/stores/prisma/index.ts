/** The Stores of lib/oidc/ports.ts on Prisma (SQLite or PostgreSQL). */
import type { Db } from "../../db";
import type {
  ClientRecord,
  ApiResourceRecord,
  Stores,
  SigningKeyRecord,
  GrantRecord,
  SessionRecord,
  TokenExchangePolicy,
} from "../../oidc";
import { KeyGenerationTaken } from "../../oidc";
import type { AccessTokenFormatName, ClientAuthMethodName, ClientProfileName, SigningAlg } from "../../oidc";
import type { Prisma } from "../../generated/sqlite/client";
import { endSessions } from "./session-end";

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

/** portcullis.token_exchange as stored (JSON, snake_case) to the core's policy; an older row allows nothing. */
function tokenExchangePolicy(v: unknown): TokenExchangePolicy {
  const t = (v ?? {}) as Record<string, unknown>;
  return {
    impersonation: t.impersonation === true,
    delegation: t.delegation === true,
    audiences: strings(t.audiences),
    subjectClients: strings(t.subject_clients),
  };
}

/** Unique constraint violation (Prisma's P2002). */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "P2002";
}

function display(r: { displayName: string | null; description: string | null; required: boolean; emphasize: boolean }) {
  return { displayName: r.displayName, description: r.description, required: r.required, emphasize: r.emphasize };
}

function toSession(
  s: {
    id: string;
    userId: string;
    authTime: Date;
    amr: unknown;
    idp: string | null;
    clients: unknown;
    expiresAt: Date;
    revokedAt: Date | null;
    lastSeenAt: Date;
  } | null,
): SessionRecord | null {
  if (!s) return null;
  return {
    id: s.id,
    userId: s.userId,
    authTime: s.authTime,
    amr: strings(s.amr),
    idp: s.idp,
    clients: strings(s.clients),
    expiresAt: s.expiresAt,
    revokedAt: s.revokedAt,
    lastSeenAt: s.lastSeenAt,
  };
}

/** Bumps a change counter (inside the caller's transaction when given one). */
export async function bumpChange(
  db: Pick<Db, "changeStamp">,
  key: "config" | "keys" | "revocations" | "identity-providers" | "settings",
): Promise<void> {
  await db.changeStamp.upsert({ where: { key }, create: { key, version: 1 }, update: { version: { increment: 1 } } });
}

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * A configuration write and its change stamp in one transaction: other instances drop their
 * caches exactly when a write happened, and never see the stamp without it. `changed` says from
 * the write's result whether anything changed (a delete of nothing bumps nothing).
 */
export function writeConfig<T>(db: Db, write: (tx: Tx) => Promise<T>, changed: (result: T) => boolean = () => true): Promise<T> {
  return db.$transaction(async (tx) => {
    const result = await write(tx);
    if (changed(result)) await bumpChange(tx, "config");
    return result;
  });
}

export function createPrismaStores(db: Db): Stores {
  return {
    changes: {
      async versions() {
        const rows = await db.changeStamp.findMany({ where: { key: { in: ["config", "keys", "revocations"] } } });
        const of = (k: string) => rows.find((r) => r.key === k)?.version ?? 0;
        return { config: of("config"), keys: of("keys"), revocations: of("revocations") };
      },
    },
    clients: {
      async findClient(clientId) {
        const c = await db.client.findUnique({ where: { clientId }, include: { secrets: true } });
        if (!c) return null;
        const record: ClientRecord = {
          clientId: c.clientId,
          clientName: c.clientName,
          enabled: c.enabled,
          applicationType: c.kind === "native" ? "native" : "web",
          tokenEndpointAuthMethod: c.tokenEndpointAuthMethod as ClientAuthMethodName,
          grantTypes: strings(c.grantTypes),
          responseTypes: strings(c.responseTypes),
          redirectUris: strings(c.redirectUris),
          postLogoutRedirectUris: strings(c.postLogoutRedirectUris),
          allowedScopes: strings(c.allowedScopes),
          jwks: (c.jwks as ClientRecord["jwks"]) ?? null,
          tokenEndpointAuthSigningAlg: c.tokenEndpointAuthSigningAlg,
          defaultMaxAge: c.defaultMaxAge,
          accessTokenFormat: c.accessTokenFormat as AccessTokenFormatName,
          accessTokenLifetime: c.accessTokenLifetime,
          idTokenLifetime: c.idTokenLifetime,
          authorizationCodeLifetime: c.authorizationCodeLifetime,
          refreshTokenAbsoluteLifetime: c.refreshTokenAbsoluteLifetime,
          refreshTokenSlidingLifetime: c.refreshTokenSlidingLifetime,
          refreshTokenReuseGrace: c.refreshTokenReuseGrace,
          allowOfflineAccess: c.allowOfflineAccess,
          requirePkce: c.requirePkce,
          requireConsent: c.requireConsent,
          allowRememberConsent: c.allowRememberConsent,
          idTokenUserClaims: c.idTokenUserClaims,
          requireMfa: c.requireMfa,
          requirePushedAuthorizationRequests: c.requirePushedAuthorizationRequests,
          pushedRequestLifetime: c.pushedRequestLifetime,
          requestObjectSigningAlg: c.requestObjectSigningAlg,
          requireSignedRequestObject: c.requireSignedRequestObject,
          subjectType: c.subjectType === "pairwise" ? "pairwise" : "public",
          sectorIdentifier: c.sectorIdentifier,
          deviceCodeLifetime: c.deviceCodeLifetime,
          devicePollInterval: c.devicePollInterval,
          backchannelLogoutUri: c.backchannelLogoutUri,
          backchannelLogoutSessionRequired: c.backchannelLogoutSessionRequired,
          frontchannelLogoutUri: c.frontchannelLogoutUri,
          frontchannelLogoutSessionRequired: c.frontchannelLogoutSessionRequired,
          dpopBoundAccessTokens: c.dpopBoundAccessTokens,
          profile: c.profile as ClientProfileName,
          clientUri: c.clientUri,
          logoUri: c.logoUri,
          secrets: c.secrets.map((s) => ({ hash: s.hash, expiresAt: s.expiresAt })),
          tokenExchange: tokenExchangePolicy(c.tokenExchange),
        };
        return record;
      },
    },
    resources: {
      async listApiResources() {
        const rows = await db.apiResource.findMany({ include: { scopes: true, secrets: true }, orderBy: { name: "asc" } });
        return rows.map((r): ApiResourceRecord => ({
          name: r.name,
          enabled: r.enabled,
          signingAlg: r.signingAlg as SigningAlg,
          scopes: r.scopes.map((s) => ({ name: s.name, enabled: s.enabled, ...display(s) })),
          secrets: r.secrets.map((s) => ({ hash: s.hash, expiresAt: s.expiresAt })),
        }));
      },
      async listIdentityResources() {
        const rows = await db.identityResource.findMany({ orderBy: { name: "asc" } });
        return rows.map((r) => ({
          name: r.name,
          enabled: r.enabled,
          claims: strings(r.claims),
          showInDiscovery: r.showInDiscovery,
          ...display(r),
        }));
      },
    },
    grants: {
      async saveGrant(g) {
        await db.persistedGrant.create({
          data: {
            key: g.key,
            type: g.type,
            clientId: g.clientId,
            subjectId: g.subjectId,
            familyId: g.familyId,
            data: g.data as Prisma.InputJsonValue,
            expiresAt: g.expiresAt,
            consumedAt: g.consumedAt,
            pollInterval: g.pollInterval ?? null,
          },
        });
      },
      async findGrant(key) {
        const g = await db.persistedGrant.findUnique({ where: { key } });
        if (!g) return null;
        const record: GrantRecord = {
          key: g.key,
          type: g.type,
          clientId: g.clientId,
          subjectId: g.subjectId,
          familyId: g.familyId,
          data: g.data as Record<string, unknown>,
          expiresAt: g.expiresAt,
          consumedAt: g.consumedAt,
          ...(g.pollInterval !== null ? { pollInterval: g.pollInterval } : {}),
        };
        return record;
      },
      async removeGrant(key) {
        await db.persistedGrant.deleteMany({ where: { key } });
      },
      async consumeGrant(key, at, data) {
        const { count } = await db.persistedGrant.updateMany({
          where: { key, consumedAt: null },
          data: { consumedAt: at, ...(data ? { data: data as Prisma.InputJsonValue } : {}) },
        });
        return count === 1;
      },
      async pollGrant(key, at, nextPollAt, penalty) {
        const { count } = await db.persistedGrant.updateMany({
          where: { key, consumedAt: null, OR: [{ nextPollAt: null }, { nextPollAt: { lte: at } }] },
          data: { nextPollAt },
        });
        if (count === 1) return "poll";
        const slowed = await db.persistedGrant.updateManyAndReturn({
          where: { key, consumedAt: null },
          data: { pollInterval: { increment: penalty } },
          select: { pollInterval: true },
        });
        if (!slowed[0]) return "gone";
        await db.persistedGrant.updateMany({
          where: { key },
          data: { nextPollAt: new Date(at.getTime() + (slowed[0].pollInterval ?? penalty) * 1000) },
        });
        return "slow_down";
      },
      async removeFamily(familyId) {
        return (await db.persistedGrant.deleteMany({ where: { familyId } })).count;
      },
    },
    users: {
      async findUser(id) {
        const u = await db.user.findUnique({ where: { id } });
        if (!u) return null;
        return {
          id: u.id,
          username: u.username,
          email: u.email,
          emailVerified: u.emailVerified,
          claims: (u.claims ?? {}) as Record<string, unknown>,
          roles: strings(u.roles),
          locked: u.locked,
          updatedAt: u.updatedAt,
        };
      },
    },
    sessions: {
      async findSessionByKey(key) {
        return toSession(await db.session.findUnique({ where: { key } }));
      },
      async findSession(id) {
        return toSession(await db.session.findUnique({ where: { id } }));
      },
      async createSession(input) {
        return toSession(await db.session.create({ data: { ...input, amr: input.amr, clients: [], lastSeenAt: input.authTime } }))!;
      },
      async addClient(sessionId, clientId) {
        // The link row is what logout notifications read: insert-if-absent, so concurrent sign-ins
        // to two clients never lose one. The JSON list beside it is for display only.
        try {
          await db.sessionClient.create({ data: { sessionId, clientId } });
        } catch (err) {
          if (!isUniqueViolation(err)) throw err;
        }
        await db.$transaction(async (tx) => {
          const s = await tx.session.findUnique({ where: { id: sessionId }, select: { clients: true } });
          if (!s) return;
          const clients = strings(s.clients);
          if (!clients.includes(clientId)) await tx.session.update({ where: { id: sessionId }, data: { clients: [...clients, clientId] } });
        });
      },
      async revokeSession(sessionId, at) {
        await endSessions(db, { id: sessionId }, at);
      },
      async touchSession(sessionId, at, before) {
        await db.session.updateMany({ where: { id: sessionId, lastSeenAt: { lt: before } }, data: { lastSeenAt: at } });
      },
      async upgradeSession(sessionId, amr, authTime) {
        const { count } = await db.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { amr, authTime } });
        return count === 1;
      },
    },
    replay: {
      async useOnce(key, expiresAt) {
        try {
          await db.replayGuard.create({ data: { key, expiresAt } });
          return true;
        } catch (err) {
          if (!isUniqueViolation(err)) throw err;
          // An expired record may be reused: the identifier could not be valid twice anyway.
          const freed = await db.replayGuard.deleteMany({ where: { key, expiresAt: { lte: new Date() } } });
          if (freed.count === 0) return false;
          return this.useOnce(key, expiresAt);
        }
      },
    },
    revocations: {
      async revoke(entries) {
        for (const e of entries) {
          // Extend-if-earlier, else insert-if-absent: each decided by one statement, so concurrent
          // revocations of the same key on any instance end with the later expiry.
          const extend = () =>
            db.tokenRevocation.updateMany({ where: { key: e.key, expiresAt: { lt: e.expiresAt } }, data: { expiresAt: e.expiresAt } });
          if ((await extend()).count) continue;
          try {
            await db.tokenRevocation.create({ data: { key: e.key, expiresAt: e.expiresAt } });
          } catch (err) {
            if (!isUniqueViolation(err)) throw err;
            await extend();
          }
        }
        await bumpChange(db, "revocations");
      },
      async activeRevocations(now) {
        return (await db.tokenRevocation.findMany({ where: { expiresAt: { gt: now } }, select: { key: true } })).map((r) => r.key);
      },
    },
    keys: {
      async listKeys() {
        const rows = await db.signingKey.findMany({ orderBy: [{ alg: "asc" }, { generation: "asc" }] });
        return rows.map((k): SigningKeyRecord => ({
          kid: k.id,
          alg: k.alg as SigningAlg,
          generation: k.generation,
          publicJwk: k.publicJwk as Record<string, unknown>,
          privateKey: k.privateKey,
          createdAt: k.createdAt,
          activatesAt: k.activatesAt,
        }));
      },
      async addKey(k) {
        try {
          await db.signingKey.create({
            data: {
              id: k.kid,
              alg: k.alg,
              generation: k.generation,
              publicJwk: k.publicJwk as Prisma.InputJsonValue,
              privateKey: k.privateKey,
              createdAt: k.createdAt,
              activatesAt: k.activatesAt,
            },
          });
          await bumpChange(db, "keys");
        } catch (err) {
          if (isUniqueViolation(err)) throw new KeyGenerationTaken(`${k.alg} generation ${k.generation} exists`);
          throw err;
        }
      },
      async removeKeys(kids) {
        await db.signingKey.deleteMany({ where: { id: { in: kids } } });
        await bumpChange(db, "keys");
      },
    },
    audit: {
      async record(e) {
        await db.auditEvent.create({
          data: {
            type: e.type,
            actor: e.actor,
            subject: e.subject,
            clientId: e.clientId,
            ipAddress: e.ipAddress?.slice(0, 100),
            details: (e.details ?? {}) as Prisma.InputJsonValue,
          },
        });
      },
    },
  };
}
