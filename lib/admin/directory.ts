/**
 * Administration of API resources, identity resources, users, sessions and the audit log,
 * shared by the console and the REST API.
 *
 * Rules:
 * - creating and editing API resources, identity resources and users goes through the
 *   configuration import, so the rules are the file's (scope names unique, passwords scrypt,
 *   one transaction) and nothing half-written stays;
 * - API resource secrets are generated here and returned once, like client secrets;
 * - every change is audited (who, what, before and after; never a secret or a password);
 * - revoking a session takes effect at once on every instance (sessions are never cached);
 * - every read and write starts with the caller's authorization (lib/admin/access.ts).
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { hashPassword } from "../auth/password";
import { hashSecret } from "../oidc";
import type { AuditSink } from "../oidc";
import { apiResourceAdminInput, identityResourceInput } from "../schemas/resources";
import { passwordInput, userAdminInput } from "../schemas/user";
import { ConfigImportError, formatPath, importConfig, type ConfigRepository } from "./config-transfer";
import { newSecretInput } from "./clients";
import type { Actor, Authorize, Principal } from "./access";
import { NotFoundError, ValidationError } from "./errors";
import { listPage, type PageQuery } from "./paging";
import { plainError } from "../schemas/messages";
import type { DirectoryStore } from "./ports";

type ListQuery = { search?: string } & PageQuery;

function validate<T>(schema: z.ZodType<T>, raw: unknown): T {
  const parsed = schema.safeParse(raw, { error: plainError });
  if (!parsed.success) throw new ValidationError(parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })));
  return parsed.data;
}

/** Runs an import of one entry, reporting its problems as the entry's own fields. */
async function importOne(repo: ConfigRepository, section: string, entry: unknown): Promise<void> {
  try {
    await importConfig(repo, { [section]: [entry] });
  } catch (err) {
    if (!(err instanceof Error) || !("problems" in err)) throw err;
    const prefix = `${section}[0]`;
    throw new ValidationError((err as ConfigImportError).problems.map((p) => ({ path: p.path.startsWith(prefix) ? p.path.slice(prefix.length).replace(/^\./, "") : p.path, message: p.message })));
  }
}

export function createDirectoryAdmin(store: DirectoryStore, repo: ConfigRepository, audit: AuditSink, authorize: Authorize, changed: () => void = () => {}, now: () => number = Date.now) {
  // Every write is audited; then this instance drops its caches at once (others within a second).
  const record = async (actor: Actor, type: string, details: Record<string, unknown>, subject?: string, clientId?: string) => {
    changed();
    await audit.record({ type, actor: actor.name, subject, clientId, details });
  };
  const need = <T>(v: T | null | false, what: string): T => {
    if (!v) throw new NotFoundError(`${what} not found`);
    return v;
  };
  const findUser = async (username: string) => need(await store.getUser(username), `user ${username}`);

  return {
    apiResources: {
      async list(principal: Principal, q: ListQuery) {
        await authorize(principal);
        return listPage(q, (p) => store.listApiResources({ search: q.search?.slice(0, 100), ...p }));
      },
      async get(principal: Principal, name: string) {
        await authorize(principal);
        return need(await store.getApiResource(name), `API resource ${name}`);
      },
      async save(principal: Principal, raw: unknown, existing?: string) {
        const actor = await authorize(principal);
        const input = validate(apiResourceAdminInput, existing ? { ...(raw as object), name: existing } : raw);
        const before = await store.getApiResource(input.name);
        if (!existing && before) throw new ValidationError([{ path: "name", message: `${input.name} already exists` }]);
        if (existing && !before) throw new NotFoundError(`API resource ${existing} not found`);
        await importOne(repo, "api_resources", input);
        const after = await store.getApiResource(input.name);
        await record(actor, existing ? "admin.api_resource_updated" : "admin.api_resource_created", { before, after });
        return after!;
      },
      async remove(principal: Principal, name: string) {
        const actor = await authorize(principal);
        const before = need(await store.getApiResource(name), `API resource ${name}`);
        await store.removeApiResource(name);
        await record(actor, "admin.api_resource_deleted", { before });
      },
      async addSecret(principal: Principal, name: string, raw: unknown) {
        const actor = await authorize(principal);
        const input = validate(newSecretInput, raw ?? {});
        const value = randomBytes(32).toString("base64url");
        const secret = need(await store.addApiSecret(name, { hash: await hashSecret(value), description: input.description ?? null, expiresAt: input.expires_at ? new Date(input.expires_at) : null }), `API resource ${name}`);
        await record(actor, "admin.api_resource_secret_added", { name, secret });
        return { secret, secret_value: value };
      },
      async removeSecret(principal: Principal, name: string, id: string) {
        const actor = await authorize(principal);
        need(await store.removeApiSecret(name, id), `secret ${id}`);
        await record(actor, "admin.api_resource_secret_removed", { name, secretId: id });
      },
    },

    identityResources: {
      async list(principal: Principal) {
        await authorize(principal);
        return store.listIdentityResources();
      },
      async save(principal: Principal, raw: unknown) {
        const actor = await authorize(principal);
        const input = validate(identityResourceInput, raw);
        await importOne(repo, "identity_resources", input);
        await record(actor, "admin.identity_resource_saved", { after: input });
        return input;
      },
      async remove(principal: Principal, name: string) {
        const actor = await authorize(principal);
        need(await store.removeIdentityResource(name), `identity resource ${name}`);
        await record(actor, "admin.identity_resource_deleted", { name });
      },
    },

    users: {
      async list(principal: Principal, q: ListQuery) {
        await authorize(principal);
        return listPage(q, (p) => store.listUsers({ search: q.search?.slice(0, 100), ...p }));
      },
      async get(principal: Principal, username: string) {
        await authorize(principal);
        return findUser(username);
      },
      async save(principal: Principal, raw: unknown, existing?: string) {
        const actor = await authorize(principal);
        const input = validate(userAdminInput, existing ? { ...(raw as object), username: existing } : raw);
        const before = await store.getUser(input.username);
        if (!existing && before) throw new ValidationError([{ path: "username", message: `${input.username} already exists` }]);
        if (existing && !before) throw new NotFoundError(`user ${existing} not found`);
        await importOne(repo, "users", input);
        const after = await store.getUser(input.username);
        const strip = (u: typeof before) => (u ? { ...u, sessions: undefined, consents: undefined, external_logins: undefined } : null);
        await record(actor, existing ? "admin.user_updated" : "admin.user_created", { before: strip(before), after: strip(after) }, after!.id);
        return after!;
      },
      async setLocked(principal: Principal, username: string, locked: boolean) {
        const actor = await authorize(principal);
        const user = await findUser(username);
        await store.setUserLocked(username, locked);
        if (locked) await store.revokeUserSessions(user.id, new Date(now()));
        await record(actor, locked ? "admin.user_locked" : "admin.user_unlocked", { username }, user.id);
      },
      async setPassword(principal: Principal, username: string, raw: unknown) {
        const actor = await authorize(principal);
        const { password } = validate(passwordInput, raw);
        const user = await findUser(username);
        await store.setUserPassword(username, await hashPassword(password));
        await record(actor, "admin.user_password_set", { username }, user.id);
      },
      async remove(principal: Principal, username: string) {
        const actor = await authorize(principal);
        const user = await findUser(username);
        await store.removeUser(username);
        await record(actor, "admin.user_deleted", { username }, user.id);
      },
      async revokeConsent(principal: Principal, username: string, clientId: string) {
        const actor = await authorize(principal);
        const user = await findUser(username);
        need(await store.removeConsent(user.id, clientId), `consent for ${clientId}`);
        await record(actor, "admin.consent_revoked", { username }, user.id, clientId);
      },
      async removeExternalLogin(principal: Principal, username: string, id: string) {
        const actor = await authorize(principal);
        const user = await findUser(username);
        need(await store.removeExternalLogin(user.id, id), `external login ${id}`);
        await record(actor, "admin.external_login_removed", { username, id }, user.id);
      },
    },

    sessions: {
      async list(principal: Principal, q: ListQuery) {
        await authorize(principal);
        return listPage(q, (p) => store.listSessions({ search: q.search?.slice(0, 100), ...p, now: new Date(now()) }));
      },
      async revoke(principal: Principal, id: string) {
        const actor = await authorize(principal);
        need(await store.revokeSession(id, new Date(now())), `session ${id}`);
        await record(actor, "admin.session_revoked", { sessionId: id });
      },
      async revokeAllOf(principal: Principal, username: string) {
        const actor = await authorize(principal);
        const user = need(await store.getUser(username), `user ${username}`);
        const count = await store.revokeUserSessions(user.id, new Date(now()));
        await record(actor, "admin.sessions_revoked", { username, count }, user.id);
        return { revoked: count };
      },
    },

    audit: {
      async list(principal: Principal, q: { type?: string; actor?: string; subject?: string; clientId?: string } & PageQuery) {
        await authorize(principal);
        const filter = { type: q.type?.slice(0, 200), actor: q.actor?.slice(0, 200), subject: q.subject?.slice(0, 200), clientId: q.clientId?.slice(0, 200) };
        return listPage(q, (p) => store.listAudit({ ...filter, ...p }));
      },
    },
  };
}

export type DirectoryAdmin = ReturnType<typeof createDirectoryAdmin>;
