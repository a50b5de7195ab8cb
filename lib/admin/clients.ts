/**
 * Client administration, shared by the console and the REST API.
 *
 * Rules:
 * - input is the configuration file's client (RFC 7591 names), checked by the same zod schema;
 *   a kind (web, spa, native, machine) fills the authentication method and grant types it needs
 *   when they are not given;
 * - secrets are never accepted from the caller: they are generated on the server (256 bits),
 *   returned once, stored as SHA-256 hashes; a client may hold several (rotation);
 * - every scope a client is allowed must exist;
 * - every change is audited with before and after (never a secret) and reaches every instance's
 *   caches through the change feed.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { hashSecret } from "../oidc/crypto";
import { ClientAuthMethod, GrantType } from "../oidc/constants";
import type { AuditSink } from "../oidc/ports";
import { clientAdminInput, type ClientInput } from "../schemas/client";
import { type ClientAdminStore, type ClientView, type Page, type SecretInfo } from "./ports";
import { formatPath, type Problem } from "./config-transfer";

export const newSecretInput = z.object({
  description: z.string().max(200).optional(),
  expires_at: z.iso.datetime({ offset: true }).optional(),
}).strict();

const KIND_DEFAULTS = {
  web: { token_endpoint_auth_method: ClientAuthMethod.basic, grant_types: [GrantType.authorizationCode, GrantType.refreshToken] },
  spa: { token_endpoint_auth_method: ClientAuthMethod.none, grant_types: [GrantType.authorizationCode, GrantType.refreshToken] },
  native: { token_endpoint_auth_method: ClientAuthMethod.none, grant_types: [GrantType.authorizationCode, GrantType.refreshToken] },
  machine: { token_endpoint_auth_method: ClientAuthMethod.basic, grant_types: [GrantType.clientCredentials] },
} as const;

// Errors are told apart by `code`, not instanceof: a bundler may load this module more than once.
export class ValidationError extends Error {
  readonly code = "validation_failed";
  constructor(readonly problems: Problem[]) { super("validation failed"); }
}
export class NotFoundError extends Error {
  readonly code = "not_found";
}
export function errorCodeOf(err: unknown): string | undefined {
  return err instanceof Error ? (err as { code?: string }).code : undefined;
}

export interface Actor { id: string; name: string }

function parse(raw: unknown): ClientInput {
  const body = (raw && typeof raw === "object" ? { ...(raw as Record<string, unknown>) } : raw) as Record<string, unknown>;
  const kind = (body?.portcullis as { kind?: keyof typeof KIND_DEFAULTS } | undefined)?.kind;
  if (body && kind && kind in KIND_DEFAULTS) {
    for (const [k, v] of Object.entries(KIND_DEFAULTS[kind])) if (body[k] === undefined) body[k] = v;
  }
  const parsed = clientAdminInput.safeParse(body);
  if (!parsed.success) throw new ValidationError(parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })));
  return parsed.data as ClientInput;
}

async function checkScopes(store: ClientAdminStore, input: ClientInput): Promise<void> {
  const known = await store.scopeNames();
  const unknown = input.scope.split(" ").filter((s) => s && !known.has(s));
  if (unknown.length) throw new ValidationError([{ path: "scope", message: `unknown scope ${unknown.join(", ")}` }]);
}

const generateSecret = () => randomBytes(32).toString("base64url");
const needsSecret = (c: ClientInput) => c.token_endpoint_auth_method === ClientAuthMethod.basic || c.token_endpoint_auth_method === ClientAuthMethod.post;

export function createClientAdmin(store: ClientAdminStore, audit: AuditSink, changed: () => void = () => {}) {
  // Every write is audited; then this instance drops its caches at once (others within a second).
  const record = async (actor: Actor, type: string, clientId: string, details: Record<string, unknown>) => {
    changed();
    await audit.record({ type, actor: actor.name, clientId, details });
  };

  return {
    list: (query: { search?: string; page?: number; pageSize?: number }): Promise<Page<ClientView>> =>
      store.list({ search: query.search?.slice(0, 100), page: Math.max(1, query.page ?? 1), pageSize: Math.min(100, Math.max(1, query.pageSize ?? 25)) }),

    async get(clientId: string): Promise<ClientView> {
      const c = await store.get(clientId);
      if (!c) throw new NotFoundError(`client ${clientId} not found`);
      return c;
    },

    /** Returns the client and, for confidential clients, its first secret in plain (shown once). */
    async create(actor: Actor, raw: unknown): Promise<{ client: ClientView; client_secret?: string }> {
      const input = parse(raw);
      await checkScopes(store, input);
      const secret = needsSecret(input) ? generateSecret() : undefined;
      try {
        const client = await store.create(input, secret ? { hash: await hashSecret(secret), description: "created with the client", expiresAt: null } : undefined);
        await record(actor, "admin.client_created", client.client_id, { after: client });
        return { client, ...(secret ? { client_secret: secret } : {}) };
      } catch (err) {
        if (errorCodeOf(err) === "conflict") throw new ValidationError([{ path: "client_id", message: `client_id ${input.client_id} is already registered` }]);
        throw err;
      }
    },

    async update(actor: Actor, clientId: string, raw: unknown): Promise<ClientView> {
      const before = await this.get(clientId);
      const input = parse({ ...(raw as object), client_id: clientId });
      await checkScopes(store, input);
      const after = await store.update(clientId, input);
      if (!after) throw new NotFoundError(`client ${clientId} not found`);
      await record(actor, "admin.client_updated", clientId, { before, after });
      return after;
    },

    async remove(actor: Actor, clientId: string): Promise<void> {
      const before = await this.get(clientId);
      if (!(await store.remove(clientId))) throw new NotFoundError(`client ${clientId} not found`);
      await record(actor, "admin.client_deleted", clientId, { before });
    },

    async addSecret(actor: Actor, clientId: string, raw: unknown): Promise<{ secret: SecretInfo; client_secret: string }> {
      const parsed = newSecretInput.safeParse(raw ?? {});
      if (!parsed.success) throw new ValidationError(parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })));
      const client = await this.get(clientId);
      if (!needsSecret(client as ClientInput)) throw new ValidationError([{ path: "", message: `secrets are not used with ${client.token_endpoint_auth_method}` }]);
      const value = generateSecret();
      const secret = await store.addSecret(clientId, { hash: await hashSecret(value), description: parsed.data.description ?? null, expiresAt: parsed.data.expires_at ? new Date(parsed.data.expires_at) : null });
      if (!secret) throw new NotFoundError(`client ${clientId} not found`);
      await record(actor, "admin.client_secret_added", clientId, { secret });
      return { secret, client_secret: value };
    },

    async removeSecret(actor: Actor, clientId: string, secretId: string): Promise<void> {
      if (!(await store.removeSecret(clientId, secretId))) throw new NotFoundError(`secret ${secretId} not found`);
      await record(actor, "admin.client_secret_removed", clientId, { secretId });
    },
  };
}

export type ClientAdmin = ReturnType<typeof createClientAdmin>;
