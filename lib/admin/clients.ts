/**
 * Client administration, shared by the console and the REST API.
 *
 * Rules:
 * - input is the configuration file's client (RFC 7591 names), checked by the same zod schema;
 *   a kind (web, spa, native, machine) fills the authentication method and grant types it needs
 *   when they are not given (lib/admin/kinds.ts);
 * - creating and editing go through the configuration import, like every console entity
 *   (lib/admin/entries.ts): every scope a client is allowed must exist, a client_id is
 *   registered once, and nothing half-written stays;
 * - secrets are never accepted from the caller: they are generated on the server (256 bits),
 *   returned once, stored as SHA-256 hashes; a client may hold several (rotation);
 * - every change is audited with before and after (never a secret) and reaches every instance's
 *   caches through the change feed;
 * - every read and write starts with the caller's authorization (lib/admin/access.ts).
 */
import type { AuditSink } from "../oidc";
import { clientAdminInput, usesSecret, type ClientInput } from "../schemas/client";
import type { ClientAdminStore, ClientView, Page, SecretInfo } from "./ports";
import type { ConfigRepository } from "./config-transfer";
import type { Authorize, Principal } from "./access";
import { generateSecret, importEntry, newSecret, recorder, validate } from "./entries";
import { invalid, notFound } from "./errors";
import { withKindDefaults } from "./kinds";
import { listPage, type PageQuery } from "./paging";

const parse = (raw: unknown): ClientInput => validate(clientAdminInput, withKindDefaults(raw)) as ClientInput;

export function createClientAdmin(
  store: ClientAdminStore,
  repo: ConfigRepository,
  audit: AuditSink,
  authorize: Authorize,
  changed: () => void = () => {},
) {
  const record = recorder(audit, changed);
  const find = async (clientId: string): Promise<ClientView> => {
    const c = await store.get(clientId);
    if (!c) throw notFound(`client ${clientId}`);
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
      const secret = usesSecret(input.token_endpoint_auth_method) ? generateSecret() : undefined;
      await importEntry(
        repo,
        "clients",
        { ...input, ...(secret ? { secrets: [{ value: secret, description: "created with the client" }] } : {}) },
        "create",
      );
      const client = await find(input.client_id);
      await record(actor, "admin.client_created", { after: client }, { clientId: client.client_id });
      return { client, ...(secret ? { client_secret: secret } : {}) };
    },

    /** Replaces the client's settings; its secrets are kept (a client that now uses secrets gets them from addSecret). */
    async update(principal: Principal, clientId: string, raw: unknown): Promise<ClientView> {
      const actor = await authorize(principal);
      const before = await find(clientId);
      const input = parse({ ...(raw as object), client_id: clientId });
      await importEntry(repo, "clients", input, "update");
      const after = await find(clientId);
      await record(actor, "admin.client_updated", { before, after }, { clientId });
      return after;
    },

    async remove(principal: Principal, clientId: string): Promise<void> {
      const actor = await authorize(principal);
      const before = await find(clientId);
      if (!(await store.remove(clientId))) throw notFound(`client ${clientId}`);
      await record(actor, "admin.client_deleted", { before }, { clientId });
    },

    async addSecret(principal: Principal, clientId: string, raw: unknown): Promise<{ secret: SecretInfo; client_secret: string }> {
      const actor = await authorize(principal);
      const { value, stored } = await newSecret(raw);
      const client = await find(clientId);
      if (!usesSecret(client.token_endpoint_auth_method))
        throw invalid([{ path: "", message: `secrets are not used with ${client.token_endpoint_auth_method}` }]);
      const secret = await store.addSecret(clientId, stored);
      if (!secret) throw notFound(`client ${clientId}`);
      await record(actor, "admin.client_secret_added", { secret }, { clientId });
      return { secret, client_secret: value };
    },

    async removeSecret(principal: Principal, clientId: string, secretId: string): Promise<void> {
      const actor = await authorize(principal);
      if (!(await store.removeSecret(clientId, secretId))) throw notFound(`secret ${secretId}`);
      await record(actor, "admin.client_secret_removed", { secretId }, { clientId });
    },
  };
}

export type ClientAdmin = ReturnType<typeof createClientAdmin>;
