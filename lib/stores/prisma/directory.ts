/** DirectoryStore on Prisma: the admin's reads and the writes the import does not cover. */
import type { Db, DbProvider } from "../../db";
import type { DirectoryStore, SessionView, UserView } from "../../admin/ports";
import { recordKey } from "../../oidc";
import { GrantRecordType } from "../../oidc";
import { writeConfig } from "./index";
import { endSessions } from "./session-end";
import { clearUserThrottle } from "./sign-in-throttle";

const opt = <T>(v: T | null) => v ?? undefined;
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : []);
const secret = (s: { id: string; description: string | null; expiresAt: Date | null; createdAt: Date }) => ({
  id: s.id,
  description: s.description,
  expiresAt: s.expiresAt,
  createdAt: s.createdAt,
});

type UserRow = {
  id: string;
  username: string;
  email: string | null;
  emailVerified: boolean;
  claims: unknown;
  roles: unknown;
  locked: boolean;
  lockedUntil: Date | null;
  lastLoginAt: Date | null;
  createdAt: Date;
};
const userView = (u: UserRow): UserView => ({
  id: u.id,
  username: u.username,
  email: u.email,
  email_verified: u.emailVerified,
  claims: (u.claims ?? {}) as Record<string, unknown>,
  roles: strings(u.roles),
  locked: u.locked,
  locked_until: iso(u.lockedUntil),
  last_login_at: iso(u.lastLoginAt),
  created_at: u.createdAt.toISOString(),
});
type SessionRow = {
  id: string;
  userId: string;
  authTime: Date;
  expiresAt: Date;
  clients: unknown;
  ipAddress: string | null;
  userAgent: string | null;
  user: { username: string };
};
const sessionView = (s: SessionRow): SessionView => ({
  id: s.id,
  user_id: s.userId,
  username: s.user.username,
  auth_time: s.authTime.toISOString(),
  expires_at: s.expiresAt.toISOString(),
  clients: strings(s.clients),
  ip_address: s.ipAddress,
  user_agent: s.userAgent,
});
const page = (p: number, size: number) => ({ skip: (p - 1) * size, take: size });

export function createPrismaDirectoryStore(db: Db, provider: DbProvider): DirectoryStore {
  const apiInclude = { scopes: { orderBy: { name: "asc" as const } }, secrets: { orderBy: { createdAt: "asc" as const } } };
  type ApiRow = NonNullable<Awaited<ReturnType<typeof db.apiResource.findFirst<{ include: typeof apiInclude }>>>>;
  const apiView = (r: ApiRow) => ({
    name: r.name,
    display_name: opt(r.displayName),
    description: opt(r.description),
    enabled: r.enabled,
    signing_alg: r.signingAlg,
    scopes: r.scopes.map((s) => ({
      name: s.name,
      display_name: opt(s.displayName),
      description: opt(s.description),
      required: s.required,
      emphasize: s.emphasize,
      enabled: s.enabled,
    })),
    secrets: r.secrets.map(secret),
  });
  const activeSessions = (now: Date) => ({ revokedAt: null, expiresAt: { gt: now } });

  return {
    async listApiResources({ search, page: p, pageSize }) {
      const where = search ? { name: { contains: search } } : {};
      const [rows, total] = await Promise.all([
        db.apiResource.findMany({ where, include: apiInclude, orderBy: { name: "asc" }, ...page(p, pageSize) }),
        db.apiResource.count({ where }),
      ]);
      return { items: rows.map(apiView), total, page: p, pageSize };
    },
    async getApiResource(name) {
      const r = await db.apiResource.findUnique({ where: { name }, include: apiInclude });
      return r ? apiView(r) : null;
    },
    async removeApiResource(name) {
      return writeConfig(db, async (tx) => (await tx.apiResource.deleteMany({ where: { name } })).count > 0, Boolean);
    },
    async addApiSecret(name, s) {
      return writeConfig(
        db,
        async (tx) => {
          const r = await tx.apiResource.findUnique({ where: { name }, select: { id: true } });
          return r ? secret(await tx.apiResourceSecret.create({ data: { ...s, apiResourceId: r.id } })) : null;
        },
        Boolean,
      );
    },
    async removeApiSecret(name, id) {
      return writeConfig(
        db,
        async (tx) => (await tx.apiResourceSecret.deleteMany({ where: { id, apiResource: { name } } })).count > 0,
        Boolean,
      );
    },
    async listIdentityResources() {
      const rows = await db.identityResource.findMany({ orderBy: { name: "asc" } });
      return rows.map((r) => ({
        name: r.name,
        display_name: opt(r.displayName),
        description: opt(r.description),
        claims: strings(r.claims),
        required: r.required,
        enabled: r.enabled,
      }));
    },
    async removeIdentityResource(name) {
      return writeConfig(db, async (tx) => (await tx.identityResource.deleteMany({ where: { name } })).count > 0, Boolean);
    },
    async listUsers({ search, page: p, pageSize }) {
      // On SQLite a prefix becomes a range so it walks the username and email indexes (LIKE 'x%'
      // cannot use a binary-collated index there); PostgreSQL keeps startsWith, whose collation
      // would make the range unreliable.
      const range = (v: string) => (provider === "sqlite" ? { gte: v, lt: v + "\uffff" } : { startsWith: v });
      const where = search ? { OR: [{ username: range(search) }, { email: range(search.toLowerCase()) }] } : {};
      const [rows, total] = await Promise.all([
        db.user.findMany({ where, orderBy: { username: "asc" }, ...page(p, pageSize) }),
        db.user.count({ where }),
      ]);
      return { items: rows.map(userView), total, page: p, pageSize };
    },
    async getUser(username) {
      const u = await db.user.findUnique({
        where: { username },
        include: {
          sessions: {
            where: activeSessions(new Date()),
            include: { user: { select: { username: true } } },
            orderBy: { createdAt: "desc" },
          },
          externalLogins: true,
        },
      });
      if (!u) return null;
      const consents = await db.persistedGrant.findMany({
        where: { subjectId: u.id, type: GrantRecordType.consent },
        orderBy: { createdAt: "desc" },
      });
      return {
        ...userView(u),
        sessions: u.sessions.map(sessionView),
        consents: consents.map((c) => ({
          client_id: c.clientId,
          scopes: strings((c.data as { scopes?: unknown }).scopes),
          created_at: c.createdAt.toISOString(),
        })),
        external_logins: u.externalLogins.map((l) => ({
          id: l.id,
          provider: l.provider,
          provider_account_id: l.providerAccountId,
          created_at: l.createdAt.toISOString(),
        })),
      };
    },
    async setUserLocked(username, locked) {
      // Every instance caches users' standing for token checks: the stamp makes them drop it.
      const updated = await writeConfig(
        db,
        async (tx) =>
          (
            await tx.user.updateMany({
              where: { username },
              data: { locked, ...(locked ? {} : { lockedUntil: null, failedLoginCount: 0 }) },
            })
          ).count > 0,
        Boolean,
      );
      if (updated && !locked) await clearUserThrottle(db, username);
      return updated;
    },
    async setUserPassword(username, hash) {
      const { count } = await db.user.updateMany({
        where: { username },
        data: { passwordHash: hash, failedLoginCount: 0, lockedUntil: null },
      });
      if (count > 0) await clearUserThrottle(db, username);
      return count > 0;
    },
    async removeUser(username) {
      return writeConfig(db, async (tx) => (await tx.user.deleteMany({ where: { username } })).count > 0, Boolean);
    },
    async listSessions({ search, page: p, pageSize, now }) {
      const where = { ...activeSessions(now), ...(search ? { user: { username: { startsWith: search } } } : {}) };
      const [rows, total] = await Promise.all([
        db.session.findMany({
          where,
          include: { user: { select: { username: true } } },
          orderBy: { createdAt: "desc" },
          ...page(p, pageSize),
        }),
        db.session.count({ where }),
      ]);
      return { items: rows.map(sessionView), total, page: p, pageSize };
    },
    async revokeSession(id, at) {
      return (await endSessions(db, { id }, at)).length > 0;
    },
    async revokeUserSessions(userId, at) {
      return (await endSessions(db, { userId }, at)).length;
    },
    async removeConsent(userId, clientId) {
      return (await db.persistedGrant.deleteMany({ where: { key: recordKey.consent(userId, clientId) } })).count > 0;
    },
    async removeExternalLogin(userId, id) {
      return (await db.externalLogin.deleteMany({ where: { id, userId } })).count > 0;
    },
    async listAudit({ type, actor, subject, clientId, page: p, pageSize }) {
      const where = {
        ...(type ? { type } : {}),
        ...(actor ? { actor } : {}),
        ...(subject ? { subject } : {}),
        ...(clientId ? { clientId } : {}),
      };
      const [rows, total] = await Promise.all([
        db.auditEvent.findMany({ where, orderBy: { createdAt: "desc" }, ...page(p, pageSize) }),
        db.auditEvent.count({ where }),
      ]);
      return {
        items: rows.map((e) => ({
          id: e.id,
          created_at: e.createdAt.toISOString(),
          type: e.type,
          actor: e.actor,
          subject: e.subject,
          client_id: e.clientId,
          details: e.details,
        })),
        total,
        page: p,
        pageSize,
      };
    },
  };
}
