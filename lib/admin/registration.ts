/**
 * Dynamic client registration (RFC 7591, RFC 7592) behind /connect/register, and the initial
 * access tokens administrators issue for it.
 *
 * Registration policy (settings.registration, from PORTCULLIS_REGISTRATION*):
 * - metadata is checked by THE SAME schema as the console, the REST API and the configuration
 *   file (lib/schemas/client.ts clientFields + clientRules), then by the import (every scope
 *   exists); metadata names this server does not know are ignored (RFC 7591 2), and so are
 *   `client_id`, secrets and the `portcullis` settings: a registered client gets the schema's
 *   defaults (consent required, no token exchange), and an administrator may change them later;
 * - RFC 7591 defaults: grant_types ["authorization_code"], client_secret_basic; client_name
 *   defaults to the generated client_id;
 * - every grant type must be in settings.registration.allowedGrantTypes (client_credentials and
 *   token exchange are not, unless the operator adds them) and every scope in allowedScopes;
 * - the kind is derived: application_type native -> native; auth method none -> spa; only
 *   client_credentials -> machine; else web;
 * - a PUT (RFC 7592) replaces the metadata under the same checks and keeps the Portcullis
 *   settings an administrator set (a client cannot re-enable itself);
 * - initial access tokens: 256 bits, shown once, stored as SHA-256 hashes, with an optional
 *   expiry and maximum of uses counted in one conditional update, revocable; issuing, revoking
 *   and every registration, update and deletion are audited.
 */
import { DEFAULT_REGISTRATION, hashSecret, OFFLINE_ACCESS, randomHandle } from "../oidc";
import type { AuditSink, ClientRegistrar, MetadataProblem, RegisteredClient, RegistrationSettings } from "../oidc";
import { clientAdminInput, clientFields, usesSecret, type ClientInput } from "../schemas/client";
import { plainError } from "../schemas/messages";
import { initialAccessTokenInput } from "../schemas/registration";
import type { Authorize, Principal } from "./access";
import { importNewClient } from "./clients";
import type { ConfigRepository } from "./config-transfer";
import { generateSecret, importEntry, recorder, validate } from "./entries";
import { errorCodeOf, notFound, problemsOf, type AdminError } from "./errors";
import type { ClientAdminStore, ClientView, InitialAccessTokenView, RegistrationStore } from "./ports";

/** The metadata a registration may set: the schema's fields but those the server decides. */
const REGISTRABLE = Object.keys(clientFields.shape).filter((k) => !["client_id", "client_secret", "secrets", "portcullis"].includes(k));

/** The kind a registration is, from its metadata (see the header). */
function kindOf(m: Record<string, unknown>): ClientInput["portcullis"]["kind"] {
  if (m.application_type === "native") return "native";
  if (m.token_endpoint_auth_method === "none") return "spa";
  const grants = Array.isArray(m.grant_types) ? m.grant_types : [];
  return grants.length > 0 && grants.every((g) => g === "client_credentials") ? "machine" : "web";
}

function policyProblems(m: Record<string, unknown>, policy: RegistrationSettings): MetadataProblem[] {
  const problems: MetadataProblem[] = [];
  // A response type with id_token brings the grant type implicit (lib/schemas/client.ts): check it too.
  const types = Array.isArray(m.response_types) ? m.response_types : [];
  const implied = types.some((t) => t !== "code") ? ["implicit"] : [];
  const grants = [...new Set([...(Array.isArray(m.grant_types) ? m.grant_types : []), ...implied])];
  for (const g of grants)
    if (typeof g === "string" && !policy.allowedGrantTypes.includes(g))
      problems.push({ path: "grant_types", message: `${g.slice(0, 100)} is not allowed for registered clients` });
  // Another client's redirect host would give the same pairwise identifiers: an administrator decides the sector.
  if (m.subject_type === "pairwise")
    problems.push({ path: "subject_type", message: "pairwise is set by an administrator for registered clients" });
  const scopes = typeof m.scope === "string" ? m.scope.split(" ").filter(Boolean) : [];
  for (const s of scopes)
    if (!policy.allowedScopes.includes(s))
      problems.push({ path: "scope", message: `${s.slice(0, 100)} is not allowed for registered clients` });
  return problems;
}

type Parsed = { ok: true; input: ClientInput } | { ok: false; problems: MetadataProblem[] };

/** Registration metadata as a client entry of the configuration file, or its problems. */
function parseRegistration(
  raw: Record<string, unknown>,
  clientId: string,
  policy: RegistrationSettings,
  settings?: ClientInput["portcullis"],
): Parsed {
  const m: Record<string, unknown> = Object.fromEntries(REGISTRABLE.filter((k) => raw[k] !== undefined).map((k) => [k, raw[k]]));
  m.grant_types ??= ["authorization_code"];
  m.client_name ??= clientId;
  const parsed = clientAdminInput.safeParse(
    // On a replace the scope alone says whether offline_access is allowed.
    { ...m, client_id: clientId, portcullis: { ...settings, ...(settings ? { allow_offline_access: false } : {}), kind: kindOf(m) } },
    { error: plainError },
  );
  // The policy speaks first: a refused grant type says so, not what the schema thinks of it.
  const problems = [...policyProblems(m, policy), ...(parsed.success ? [] : problemsOf(parsed.error))];
  return problems.length || !parsed.success ? { ok: false, problems } : { ok: true, input: parsed.data as ClientInput };
}

/** A stored client as RFC 7591 metadata: no secrets, no Portcullis settings, offline_access back in scope. */
function metadataOf(view: ClientView): Record<string, unknown> {
  const { portcullis, secrets: _secrets, created_at: _c, updated_at: _u, registered_dynamically: _r, client_id: _id, ...rest } = view;
  const scope = portcullis.allow_offline_access ? [...rest.scope.split(" ").filter(Boolean), OFFLINE_ACCESS].join(" ") : rest.scope;
  return { ...rest, scope };
}

/** The problems of an import refused for a client's fields; other failures are thrown on. */
async function imported(run: () => Promise<void>): Promise<MetadataProblem[]> {
  try {
    await run();
    return [];
  } catch (err) {
    if (errorCodeOf(err) !== "validation_failed") throw err;
    return (err as AdminError).problems;
  }
}

export function createClientRegistrar(deps: {
  clients: ClientAdminStore;
  store: RegistrationStore;
  repo: ConfigRepository;
  audit: AuditSink;
  policy?: RegistrationSettings;
  changed?: () => void;
}): ClientRegistrar {
  const { clients, store, repo } = deps;
  const policy = deps.policy ?? DEFAULT_REGISTRATION;
  const changed = deps.changed ?? (() => {});
  const registeredClient = async (clientId: string): Promise<RegisteredClient | null> => {
    const [view, registration] = await Promise.all([clients.get(clientId), store.registrationOf(clientId)]);
    if (!view || !registration) return null;
    return { clientId, metadata: metadataOf(view), createdAt: registration.createdAt, registrationAccessTokenHash: registration.hash };
  };

  return {
    useInitialAccessToken: (hash, at) => store.useInitialAccessToken(hash, at),

    async check(metadata) {
      const parsed = parseRegistration(metadata, "registration-check", policy);
      return parsed.ok ? [] : parsed.problems;
    },

    async register(metadata, registration) {
      const clientId = randomHandle(16);
      const parsed = parseRegistration(metadata, clientId, policy);
      if (!parsed.ok) return parsed;
      const secret = usesSecret(parsed.input.token_endpoint_auth_method) ? generateSecret() : undefined;
      const problems = await imported(() => importNewClient(repo, parsed.input, secret, "registered with the client"));
      if (problems.length) return { ok: false, problems };
      try {
        await store.setRegistrationAccessToken(clientId, registration.accessTokenHash);
      } catch (err) {
        // A client nobody can manage is not left behind (the import and this write are two steps).
        await clients.remove(clientId).catch(() => {});
        throw err;
      }
      changed();
      const client = (await registeredClient(clientId))!;
      await deps.audit.record({
        type: "registration.client_registered",
        actor: registration.initialAccessTokenId ? `initial_access_token:${registration.initialAccessTokenId}` : "open_registration",
        clientId,
        details: { metadata: client.metadata },
      });
      return { ok: true, client, ...(secret ? { clientSecret: secret } : {}) };
    },

    find: registeredClient,

    async replace(clientId, metadata) {
      const before = await clients.get(clientId);
      if (!before) throw notFound(`client ${clientId}`);
      const parsed = parseRegistration(metadata, clientId, policy, before.portcullis);
      if (!parsed.ok) return parsed;
      // What an administrator switched on for security stays on: the client's own PUT cannot drop it.
      for (const flag of ["require_pushed_authorization_requests", "require_signed_request_object", "dpop_bound_access_tokens"] as const)
        if (before[flag]) parsed.input[flag] = true;
      const problems = await imported(() => importEntry(repo, "clients", parsed.input, "update"));
      if (problems.length) return { ok: false, problems };
      changed();
      const client = (await registeredClient(clientId))!;
      await deps.audit.record({
        type: "registration.client_updated",
        actor: `client:${clientId}`,
        clientId,
        details: { before: metadataOf(before), after: client.metadata },
      });
      return { ok: true, client };
    },

    async remove(clientId) {
      const before = await clients.get(clientId);
      if (!before || !(await clients.remove(clientId))) return false;
      changed();
      await deps.audit.record({
        type: "registration.client_deleted",
        actor: `client:${clientId}`,
        clientId,
        details: { before: metadataOf(before) },
      });
      return true;
    },
  };
}

/** The administrators' side: initial access tokens, in the console and the REST API. */
export function createRegistrationAdmin(
  store: RegistrationStore,
  audit: AuditSink,
  authorize: Authorize,
  now: () => number,
  settings: RegistrationSettings = DEFAULT_REGISTRATION,
) {
  const record = recorder(audit, () => {});
  return {
    /** How registration is configured (the console shows it beside the tokens). */
    settings: async (principal: Principal): Promise<RegistrationSettings> => {
      await authorize(principal);
      return settings;
    },

    async list(principal: Principal): Promise<InitialAccessTokenView[]> {
      await authorize(principal);
      return store.listInitialAccessTokens();
    },

    /** Returns the token in plain: shown once. */
    async issue(principal: Principal, raw: unknown): Promise<{ token: InitialAccessTokenView; initial_access_token: string }> {
      const actor = await authorize(principal);
      const input = validate(initialAccessTokenInput, raw ?? {});
      const value = generateSecret();
      const token = await store.issueInitialAccessToken({
        hash: await hashSecret(value),
        description: input.description ?? null,
        expiresAt: input.expires_at ? new Date(input.expires_at) : null,
        maxUses: input.max_uses ?? null,
        createdBy: actor.name,
      });
      await record(actor, "admin.initial_access_token_issued", { token });
      return { token, initial_access_token: value };
    },

    async revoke(principal: Principal, id: string): Promise<void> {
      const actor = await authorize(principal);
      if (!(await store.revokeInitialAccessToken(id, new Date(now())))) throw notFound(`initial access token ${id}`);
      await record(actor, "admin.initial_access_token_revoked", { id });
    },
  };
}

export type RegistrationAdmin = ReturnType<typeof createRegistrationAdmin>;
