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
 *   caches through the change feed;
 * - every read and write starts with the caller's authorization (lib/admin/access.ts).
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { hashSecret } from "../oidc";
import { ClientAuthMethod, GrantType } from "../oidc";
import type { AuditSink } from "../oidc";
import { clientAdminInput, type ClientInput } from "../schemas/client";
import { type ClientAdminStore, type ClientView, type Page, type SecretInfo } from "./ports";
import { formatPath } from "./config-transfer";
import type { Actor, Authorize, Principal } from "./access";
import { errorCodeOf, NotFoundError, ValidationError } from "./errors";
import { listPage, type PageQuery } from "./paging";
import { plainError } from "../schemas/messages";

export { errorCodeOf, NotFoundError, ValidationError } from "./errors";
export type { Actor } from "./access";

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

function parse(raw: unknown): ClientInput {
  const body = (raw && typeof raw === "object" ? { ...(raw as Record<string, unknown>) } : raw) as Record<string, unknown>;
  const kind = (body?.portcullis as { kind?: keyof typeof KIND_DEFAULTS } | undefined)?.kind;
  if (body && typeof kind === "string" && Object.hasOwn(KIND_DEFAULTS, kind)) {
    for (const [k, v] of Object.entries(KIND_DEFAULTS[kind])) if (body[k] === undefined) body[k] = v;
  }
  const parsed = clientAdminInput.safeParse(body, { error: plainError });
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

export function createClientAdmin(store: ClientAdminStore, audit: AuditSink, authorize: Authorize, changed: () => void = () => {}) {
  // Every write is audited; then this instance drops its caches at once (others within a second).
  const record = async (actor: Actor, type: string, clientId: string, details: Record<string, unknown>) => {
    changed();
    await audit.record({ type, actor: actor.name, clientId, details });
  };
  const find = async (clientId: string): Promise<ClientView> => {
    const c = await store.get(clientId);
    if (!c) throw new NotFoundError(`client ${clientId} not found`);
    return c;
  };

  return {
    async list(principal: Principal, query: { search?: string } & PageQuery): Promise<Page<ClientView>> {
      await authorize(principal);
      return listPage(query, (p) => store.list({ search: query.search?.slice(0, 100), ...p }));
    },

    async get(principal: Principal, clientId: string): Promise<ClientView> {
      await authorize(principal);
      return find(clientId);
    },

    /** Returns the client and, for confidential clients, its first secret in plain (shown once). */
    async create(principal: Principal, raw: unknown): Promise<{ client: ClientView; client_secret?: string }> {
      const actor = await authorize(principal);
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

    async update(principal: Principal, clientId: string, raw: unknown): Promise<ClientView> {
      const actor = await authorize(principal);
      const before = await find(clientId);
      const input = parse({ ...(raw as object), client_id: clientId });
      await checkScopes(store, input);
      const after = await store.update(clientId, input);
      if (!after) throw new NotFoundError(`client ${clientId} not found`);
      await record(actor, "admin.client_updated", clientId, { before, after });
      return after;
    },

    async remove(principal: Principal, clientId: string): Promise<void> {
      const actor = await authorize(principal);
      const before = await find(clientId);
      if (!(await store.remove(clientId))) throw new NotFoundError(`client ${clientId} not found`);
      await record(actor, "admin.client_deleted", clientId, { before });
    },

    async addSecret(principal: Principal, clientId: string, raw: unknown): Promise<{ secret: SecretInfo; client_secret: string }> {
      const actor = await authorize(principal);
      const parsed = newSecretInput.safeParse(raw ?? {}, { error: plainError });
      if (!parsed.success) throw new ValidationError(parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })));
      const client = await find(clientId);
      if (!needsSecret(client as ClientInput)) throw new ValidationError([{ path: "", message: `secrets are not used with ${client.token_endpoint_auth_method}` }]);
      const value = generateSecret();
      const secret = await store.addSecret(clientId, { hash: await hashSecret(value), description: parsed.data.description ?? null, expiresAt: parsed.data.expires_at ? new Date(parsed.data.expires_at) : null });
      if (!secret) throw new NotFoundError(`client ${clientId} not found`);
      await record(actor, "admin.client_secret_added", clientId, { secret });
      return { secret, client_secret: value };
    },

    async removeSecret(principal: Principal, clientId: string, secretId: string): Promise<void> {
      const actor = await authorize(principal);
      if (!(await store.removeSecret(clientId, secretId))) throw new NotFoundError(`secret ${secretId} not found`);
      await record(actor, "admin.client_secret_removed", clientId, { secretId });
    },
  };
}

export type ClientAdmin = ReturnType<typeof createClientAdmin>;
