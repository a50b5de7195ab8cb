/**
 * IdentityProviderStore on Prisma (SQLite or PostgreSQL).
 *
 * Rules:
 * - client secrets are sealed (AES-256-GCM, key derived from the server secret for
 *   "upstream-secrets") before they are written and opened when read; nothing else sees them sealed;
 * - every provider change bumps the "identity-providers" change stamp in the same transaction;
 * - what races is decided by a unique constraint: a provider id, a link (provider, subject), a
 *   new user's username and email;
 * - claims from a sign-in are merged into the user's claims in one statement, so an admin's edit
 *   of other claims made at the same moment is not lost.
 */
import { randomBytes } from "node:crypto";
import type { Db, DbProvider } from "../../db";
import type { SecretBox } from "../../oidc";
import type { Prisma } from "../../generated/sqlite/client";
import type { FirstLoginPolicy, ProviderType } from "../../schemas/identity-provider";
import {
  ProviderExists,
  type ExternalLoginRecord,
  type ExternalUser,
  type IdentityProviderRecord,
  type IdentityProviderStore,
  type LinkResult,
} from "../../auth/external/ports";
import { isUniqueViolation } from "./index";

const STAMP = "identity-providers";
/** random-suffix attempts after the given usernames are all taken */
const RANDOM_USERNAME_TRIES = 5;

type ProviderRow = NonNullable<Awaited<ReturnType<Db["identityProvider"]["findFirst"]>>>;
type LinkRow = {
  id: string;
  userId: string;
  provider: string;
  providerAccountId: string;
  displayName: string | null;
  email: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
};
type UserRow = {
  id: string;
  username: string;
  email: string | null;
  emailVerified: boolean;
  passwordHash: string | null;
  locked: boolean;
  claims: unknown;
};

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
const stringRecord = (v: unknown): Record<string, string> =>
  v && typeof v === "object" && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === "string"))
    : {};

const toLink = (l: LinkRow): ExternalLoginRecord => ({
  id: l.id,
  userId: l.userId,
  providerId: l.provider,
  subject: l.providerAccountId,
  displayName: l.displayName,
  email: l.email,
  createdAt: l.createdAt,
  lastUsedAt: l.lastUsedAt,
});
const toUser = (u: UserRow): ExternalUser => ({
  id: u.id,
  username: u.username,
  email: u.email,
  emailVerified: u.emailVerified,
  hasPassword: u.passwordHash !== null,
  locked: u.locked,
  claims: (u.claims && typeof u.claims === "object" ? u.claims : {}) as Record<string, unknown>,
});
const userSelect = { id: true, username: true, email: true, emailVerified: true, passwordHash: true, locked: true, claims: true } as const;

export function createPrismaIdentityProviderStore(db: Db, provider: DbProvider, box: SecretBox): IdentityProviderStore {
  const bump = (tx: Pick<Db, "changeStamp">) =>
    tx.changeStamp.upsert({ where: { key: STAMP }, create: { key: STAMP, version: 1 }, update: { version: { increment: 1 } } });

  async function toRecord(r: ProviderRow): Promise<IdentityProviderRecord> {
    return {
      id: r.id,
      displayName: r.displayName,
      type: r.type as ProviderType,
      issuer: r.issuer,
      authorizationEndpoint: r.authorizationEndpoint,
      tokenEndpoint: r.tokenEndpoint,
      userinfoEndpoint: r.userinfoEndpoint,
      tenant: r.tenant,
      clientId: r.clientId,
      clientSecret: r.clientSecret === null ? null : await box.open(r.clientSecret),
      scope: r.scope,
      enabled: r.enabled,
      claims: stringRecord(r.claims),
      trustEmail: r.trustEmail,
      firstLogin: r.firstLogin as FirstLoginPolicy,
      emailDomains: strings(r.emailDomains),
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    };
  }

  function columns(d: Omit<IdentityProviderRecord, "id" | "clientSecret" | "createdAt" | "updatedAt">) {
    return {
      displayName: d.displayName,
      type: d.type,
      issuer: d.issuer,
      authorizationEndpoint: d.authorizationEndpoint,
      tokenEndpoint: d.tokenEndpoint,
      userinfoEndpoint: d.userinfoEndpoint,
      tenant: d.tenant,
      clientId: d.clientId,
      scope: d.scope,
      enabled: d.enabled,
      claims: d.claims,
      trustEmail: d.trustEmail,
      firstLogin: d.firstLogin,
      emailDomains: d.emailDomains.map((x) => x.toLowerCase()),
    };
  }

  const seal = async (secret: string | null) => (secret === null ? null : box.seal(secret));

  // One statement, so a concurrent edit of other claims survives (RFC 7396 merge, top level only).
  const mergeClaims = (userId: string, claims: Record<string, unknown>) => {
    const json = JSON.stringify(claims);
    return provider === "postgresql"
      ? db.$executeRaw`UPDATE "User" SET "claims" = COALESCE("claims", '{}'::jsonb) || ${json}::jsonb WHERE "id" = ${userId}`
      : db.$executeRaw`UPDATE "User" SET "claims" = json_patch(COALESCE("claims", '{}'), ${json}) WHERE "id" = ${userId}`;
  };

  const store: IdentityProviderStore = {
    async listProviders() {
      return Promise.all((await db.identityProvider.findMany({ orderBy: { id: "asc" } })).map(toRecord));
    },
    async findProvider(id) {
      const r = await db.identityProvider.findUnique({ where: { id } });
      return r ? toRecord(r) : null;
    },
    async createProvider(data) {
      const { id, clientSecret, ...rest } = data;
      const sealed = await seal(clientSecret);
      try {
        const [row] = await db.$transaction([
          db.identityProvider.create({ data: { id, ...columns(rest), clientSecret: sealed } }),
          bump(db),
        ]);
        return toRecord(row);
      } catch (err) {
        if (isUniqueViolation(err)) throw new ProviderExists(`identity provider ${id} already exists`);
        throw err;
      }
    },
    async updateProvider(id, data) {
      const { clientSecret, ...rest } = data;
      const secret = clientSecret === undefined ? {} : { clientSecret: await seal(clientSecret) };
      const [{ count }] = await db.$transaction([
        db.identityProvider.updateMany({ where: { id }, data: { ...columns(rest), ...secret } }),
        bump(db),
      ]);
      return count ? store.findProvider(id) : null;
    },
    async deleteProvider(id) {
      const [{ count }] = await db.$transaction([db.identityProvider.deleteMany({ where: { id } }), bump(db)]);
      return count > 0;
    },
    async countLinks() {
      const groups = await db.externalLogin.groupBy({ by: ["provider"], _count: { _all: true } });
      return Object.fromEntries(groups.map((g) => [g.provider, g._count._all]));
    },
    async version() {
      return (await db.changeStamp.findUnique({ where: { key: STAMP } }))?.version ?? 0;
    },

    async findLink(providerId, subject) {
      const l = await db.externalLogin.findUnique({
        where: { provider_providerAccountId: { provider: providerId, providerAccountId: subject } },
        include: { user: { select: userSelect } },
      });
      return l ? { link: toLink(l), user: toUser(l.user) } : null;
    },
    async listLinks(userId) {
      return (await db.externalLogin.findMany({ where: { userId }, orderBy: { createdAt: "asc" } })).map(toLink);
    },
    async link(userId, link, at) {
      const byIdentity = { provider_providerAccountId: { provider: link.providerId, providerAccountId: link.subject } };
      try {
        return await db.$transaction(async (tx): Promise<LinkResult> => {
          // PostgreSQL (read committed): the user's row lock first, so a concurrent link of the same
          // user to the same provider waits and then sees this one's row. SQLite: the adapter runs
          // one transaction at a time, and SQLite one writer.
          if (provider === "postgresql") await tx.$queryRaw`SELECT "id" FROM "User" WHERE "id" = ${userId} FOR UPDATE`;
          const same = await tx.externalLogin.findUnique({ where: byIdentity });
          if (same)
            return same.userId === userId ? { status: "already_linked", link: toLink(same) } : { status: "taken", userId: same.userId };
          const other = await tx.externalLogin.findFirst({ where: { userId, provider: link.providerId }, orderBy: { createdAt: "asc" } });
          if (other) return { status: "provider_linked", link: toLink(other) };
          const row = await tx.externalLogin.create({
            data: {
              userId,
              provider: link.providerId,
              providerAccountId: link.subject,
              displayName: link.displayName,
              email: link.email,
              createdAt: at,
              lastUsedAt: link.used === false ? null : at,
            },
          });
          return { status: "linked", link: toLink(row) };
        });
      } catch (err) {
        // (provider, subject) is unique: a concurrent link of the same identity to anyone won.
        if (!isUniqueViolation(err)) throw err;
        const existing = await db.externalLogin.findUnique({ where: byIdentity });
        if (!existing) throw err;
        return existing.userId === userId
          ? { status: "already_linked", link: toLink(existing) }
          : { status: "taken", userId: existing.userId };
      }
    },
    async unlink(userId, linkId) {
      return (await db.externalLogin.deleteMany({ where: { id: linkId, userId } })).count > 0;
    },
    async recordSignIn(linkId, update) {
      const link = await db.externalLogin.findUnique({ where: { id: linkId }, select: { userId: true } });
      if (!link) return;
      const claims = Object.fromEntries(Object.entries(update.claims).filter(([, v]) => v !== null && v !== undefined));
      await db.$transaction([
        ...(Object.keys(claims).length ? [mergeClaims(link.userId, claims)] : []),
        db.user.update({ where: { id: link.userId }, data: { lastLoginAt: update.at } }),
        db.externalLogin.update({
          where: { id: linkId },
          data: { lastUsedAt: update.at, displayName: update.displayName, email: update.email },
        }),
      ]);
    },
    async findUserById(id) {
      const u = await db.user.findUnique({ where: { id }, select: userSelect });
      return u ? toUser(u) : null;
    },
    async findUserByEmail(email) {
      const u = await db.user.findUnique({ where: { email: email.toLowerCase() }, select: userSelect });
      return u ? toUser(u) : null;
    },
    async createUserWithLink(input) {
      const base = input.usernames[0] ?? "user";
      const candidates = [...input.usernames];
      for (let i = 0; i < RANDOM_USERNAME_TRIES; i++) candidates.push(`${base.slice(0, 40)}-${randomBytes(3).toString("hex")}`);
      const email = input.email?.toLowerCase() ?? null;
      for (const username of candidates) {
        try {
          const row = await db.user.create({
            data: {
              username,
              email,
              emailVerified: email !== null && input.emailVerified,
              passwordHash: null,
              claims: input.claims as Prisma.InputJsonValue,
              roles: [],
              lastLoginAt: input.at,
              externalLogins: {
                create: {
                  provider: input.link.providerId,
                  providerAccountId: input.link.subject,
                  displayName: input.link.displayName,
                  email: input.link.email,
                  createdAt: input.at,
                  lastUsedAt: input.at,
                },
              },
            },
            select: { ...userSelect, externalLogins: true },
          });
          return { status: "created", user: toUser(row), link: toLink(row.externalLogins[0]!) };
        } catch (err) {
          if (!isUniqueViolation(err)) throw err;
          // The database refused the insert; find out which unique value was taken.
          const link = await db.externalLogin.findUnique({
            where: { provider_providerAccountId: { provider: input.link.providerId, providerAccountId: input.link.subject } },
            select: { id: true },
          });
          if (link) return { status: "link_exists" };
          if (email && (await db.user.findUnique({ where: { email }, select: { id: true } }))) return { status: "email_taken" };
        }
      }
      throw new Error(`no free username for ${base}`);
    },
  };
  return store;
}
