/**
 * Administration of API resources, identity resources, users, sessions and the audit log,
 * shared by the console and the REST API.
 *
 * Rules:
 * - creating and editing API resources, identity resources and users goes through the
 *   configuration import, like every console entity (lib/admin/entries.ts), so the rules are the
 *   file's (scope names unique, passwords scrypt, one transaction) and nothing half-written stays;
 * - API resource secrets are generated here and returned once, like client secrets;
 * - every change is audited (who, what, before and after; never a secret or a password);
 * - revoking a session takes effect at once on every instance (sessions are never cached);
 * - every read and write starts with the caller's authorization (lib/admin/access.ts).
 */
import { hashPassword } from "../auth/password";
import { checkNewPassword, DEFAULT_PASSWORD_POLICY } from "../auth/password-policy";
import type { PasswordPolicy } from "../settings/schema";
import type { AuditSink } from "../oidc";
import { apiResourceAdminInput, identityResourceInput } from "../schemas/resources";
import { passwordInput, userAdminInput } from "../schemas/user";
import type { ConfigRepository } from "./config-transfer";
import type { Authorize, Principal } from "./access";
import { importEntry, newSecret, recorder, validate } from "./entries";
import { adminErrorOf, invalid, notFound } from "./errors";
import { listPage, type PageQuery } from "./paging";
import type { DirectoryStore } from "./ports";

type ListQuery = { search?: string } & PageQuery;

export function createDirectoryAdmin(
  store: DirectoryStore,
  repo: ConfigRepository,
  audit: AuditSink,
  authorize: Authorize,
  changed: () => void = () => {},
  now: () => number = Date.now,
  /** revokes every token and grant issued to the user so far (lib/oidc revokeUserTokens) */
  revokeUserTokens: (userId: string) => Promise<void> = async () => {},
  /** the console's password policy (lib/settings) */
  passwordPolicy: () => Promise<PasswordPolicy> = async () => DEFAULT_PASSWORD_POLICY,
) {
  const record = recorder(audit, changed);
  const need = <T>(v: T | null | false, what: string): T => {
    if (!v) throw notFound(what);
    return v;
  };
  const findUser = async (username: string) => need(await store.getUser(username), `user ${username}`);
  /**
   * Validates a user body and applies the password policy to its password, so that every problem
   * (the schema's and the policy's) is answered at once.
   */
  const withPolicy = async <T extends { username: string; email?: string; password?: string }>(
    body: unknown,
    storedEmail: string | null | undefined,
    parse: () => T,
  ): Promise<T> => {
    const b = (body ?? {}) as Record<string, unknown>;
    const typed = typeof b.password === "string" && b.password ? b.password : undefined;
    const who = { username: typeof b.username === "string" ? b.username : "", email: typeof b.email === "string" ? b.email : storedEmail };
    const message = typed === undefined ? null : checkNewPassword(typed, who, await passwordPolicy());
    const policyProblem = message ? [{ path: "password", message }] : [];
    let input: T;
    try {
      input = parse();
    } catch (err) {
      const e = adminErrorOf(err);
      if (e?.code === "validation_failed" && policyProblem.length && !e.problems.some((p) => p.path === "password"))
        throw invalid([...e.problems, ...policyProblem]);
      throw err;
    }
    if (policyProblem.length) throw invalid(policyProblem);
    return input;
  };
  /** The one password rule (lib/auth/password-policy.ts), as a field problem. */
  const checkPolicy = async (password: string | undefined, who: { username: string; email?: string | null }) => {
    if (password === undefined) return;
    const message = checkNewPassword(password, who, await passwordPolicy());
    if (message) throw invalid([{ path: "password", message }]);
  };

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
        const before = existing ? need(await store.getApiResource(existing), `API resource ${existing}`) : null;
        await importEntry(repo, "api_resources", input, existing ? "update" : "create");
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
        const { value, stored } = await newSecret(raw);
        const secret = need(await store.addApiSecret(name, stored), `API resource ${name}`);
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
        await importEntry(repo, "identity_resources", input, "merge");
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
        const body = existing ? { ...(raw as object), username: existing } : raw;
        const before = existing ? need(await store.getUser(existing), `user ${existing}`) : null;
        const input = await withPolicy(body, before?.email, () => validate(userAdminInput, body));
        await importEntry(repo, "users", input, existing ? "update" : "create");
        const after = await store.getUser(input.username);
        const strip = (u: typeof before) => (u ? { ...u, sessions: undefined, consents: undefined, external_logins: undefined } : null);
        await record(
          actor,
          existing ? "admin.user_updated" : "admin.user_created",
          { before: strip(before), after: strip(after) },
          { subject: after!.id },
        );
        return after!;
      },
      async setLocked(principal: Principal, username: string, locked: boolean) {
        const actor = await authorize(principal);
        const user = await findUser(username);
        await store.setUserLocked(username, locked);
        if (locked) {
          // Tokens and grants from before the lock stay dead after an unlock, like the sessions.
          await store.revokeUserSessions(user.id, new Date(now()));
          await revokeUserTokens(user.id);
        }
        await record(actor, locked ? "admin.user_locked" : "admin.user_unlocked", { username }, { subject: user.id });
      },
      async setPassword(principal: Principal, username: string, raw: unknown) {
        const actor = await authorize(principal);
        const { password } = validate(passwordInput, raw);
        const user = await findUser(username);
        await checkPolicy(password, { username, email: user.email });
        await store.setUserPassword(username, await hashPassword(password));
        // A password set by an administrator is a recovery: whoever held the old one loses every way in.
        await store.revokeUserSessions(user.id, new Date(now()));
        await revokeUserTokens(user.id);
        await record(actor, "admin.user_password_set", { username }, { subject: user.id });
      },
      async remove(principal: Principal, username: string) {
        const actor = await authorize(principal);
        const user = await findUser(username);
        await store.removeUser(username);
        await record(actor, "admin.user_deleted", { username }, { subject: user.id });
      },
      async revokeConsent(principal: Principal, username: string, clientId: string) {
        const actor = await authorize(principal);
        const user = await findUser(username);
        need(await store.removeConsent(user.id, clientId), `consent for ${clientId}`);
        await record(actor, "admin.consent_revoked", { username }, { subject: user.id, clientId });
      },
      async removeExternalLogin(principal: Principal, username: string, id: string) {
        const actor = await authorize(principal);
        const user = await findUser(username);
        need(await store.removeExternalLogin(user.id, id), `external login ${id}`);
        await record(actor, "admin.external_login_removed", { username, id }, { subject: user.id });
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
        const user = await findUser(username);
        const count = await store.revokeUserSessions(user.id, new Date(now()));
        await record(actor, "admin.sessions_revoked", { username, count }, { subject: user.id });
        return { revoked: count };
      },
    },

    audit: {
      async list(principal: Principal, q: { type?: string; actor?: string; subject?: string; clientId?: string } & PageQuery) {
        await authorize(principal);
        const filter = {
          type: q.type?.slice(0, 200),
          actor: q.actor?.slice(0, 200),
          subject: q.subject?.slice(0, 200),
          clientId: q.clientId?.slice(0, 200),
        };
        return listPage(q, (p) => store.listAudit({ ...filter, ...p }));
      },
    },
  };
}

export type DirectoryAdmin = ReturnType<typeof createDirectoryAdmin>;
