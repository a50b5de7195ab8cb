/**
 * Administration of external identity providers, shared by the console and the REST API.
 *
 * Rules:
 * - input is the one description of lib/schemas/identity-provider.ts (the configuration file's,
 *   the API's and the console's), checked by its zod schema with the problems in plain words and
 *   by path; a PATCH is merged first and the merged description passes the same rules;
 * - `client_secret` is write-only: accepted, sealed at rest by the store, never returned; views
 *   carry the read-only `callback_url`; an update without `client_secret` keeps the stored one;
 * - writes go to the provider store, not through the import: the store seals the secret and bumps
 *   the identity providers' change stamp in the same transaction, which every instance's cache
 *   follows within about a second;
 * - every change is audited with before and after, never a secret;
 * - every read and write starts with the caller's authorization (lib/admin/access.ts);
 * - `check` reads the provider's discovery document and keys (lib/auth/external/check.ts) through
 *   a fresh bounded fetch (the configured timeout and size limit, no cache) and changes nothing.
 */
import type { AuditSink } from "../oidc";
import type { IdentityProviderStore } from "../auth/external/ports";
import { checkProvider, type ProviderCheck } from "../auth/external/check";
import { createBoundedFetch } from "../auth/external/fetch";
import { applyPatch, resolveProvider, toProviderData, toProviderView } from "../auth/external/settings";
import {
  identityProviderInput,
  identityProviderPatch,
  identityProviderReplace,
  type IdentityProviderView,
} from "../schemas/identity-provider";
import type { Authorize, Principal } from "./access";
import { recorder, validate } from "./entries";
import { invalid, notFound } from "./errors";

/** The limits of the calls `check` makes (PORTCULLIS_UPSTREAM_TIMEOUT and _MAX_BYTES). */
export interface UpstreamLimits {
  timeoutMs: number;
  maxBytes: number;
  /** the fetch under the bounded one (tests) */
  fetch?: typeof fetch;
}

export function createIdentityProviderAdmin(
  store: IdentityProviderStore,
  issuer: string,
  audit: AuditSink,
  authorize: Authorize,
  changed: () => void = () => {},
  upstream: UpstreamLimits = { timeoutMs: 10_000, maxBytes: 1_048_576 },
) {
  const record = recorder(audit, changed);
  const find = async (id: string) => {
    const r = await store.findProvider(id);
    if (!r) throw notFound(`identity provider ${id}`);
    return r;
  };
  const view = (r: Awaited<ReturnType<typeof find>>): IdentityProviderView => toProviderView(r, issuer);
  // The audit keeps whether a secret is set, never the secret.
  const audited = (r: Awaited<ReturnType<typeof find>>) => ({ ...view(r), has_client_secret: r.clientSecret !== null });

  return {
    async list(principal: Principal): Promise<{ items: IdentityProviderView[] }> {
      await authorize(principal);
      return { items: (await store.listProviders()).map(view) };
    },

    /** How many external logins name each provider id (deleted providers' ids included). */
    async linkCounts(principal: Principal): Promise<Record<string, number>> {
      await authorize(principal);
      return store.countLinks();
    },

    /** Reads what can be read of the provider without a sign-in, and says what is wrong or right. */
    async check(principal: Principal, id: string): Promise<ProviderCheck> {
      await authorize(principal);
      const provider = resolveProvider(await find(id));
      return checkProvider(
        provider,
        createBoundedFetch({ timeoutMs: upstream.timeoutMs, maxBytes: upstream.maxBytes, fetch: upstream.fetch }),
      );
    },

    /** The console's view of one provider: whether a secret is set (never the secret). */
    async details(principal: Principal, id: string): Promise<{ provider: IdentityProviderView; has_client_secret: boolean }> {
      await authorize(principal);
      const r = await find(id);
      return { provider: view(r), has_client_secret: r.clientSecret !== null };
    },

    async get(principal: Principal, id: string): Promise<IdentityProviderView> {
      await authorize(principal);
      return view(await find(id));
    },

    async create(principal: Principal, raw: unknown): Promise<IdentityProviderView> {
      const actor = await authorize(principal);
      const input = validate(identityProviderInput, raw);
      if (await store.findProvider(input.id)) throw invalid([{ path: "id", message: `identity provider ${input.id} already exists` }]);
      let created;
      try {
        created = await store.createProvider(toProviderData(input));
      } catch (err) {
        // A concurrent create of the same id lost at the database's unique key.
        if ((err as { name?: string }).name === "ProviderExists")
          throw invalid([{ path: "id", message: `identity provider ${input.id} already exists` }]);
        throw err;
      }
      await record(actor, "admin.identity_provider_created", { after: audited(created) });
      return view(created);
    },

    /** PUT: the whole description; `client_secret` absent keeps the stored one, null removes it. */
    async replace(principal: Principal, id: string, raw: unknown): Promise<IdentityProviderView> {
      const actor = await authorize(principal);
      const { client_secret: secret, ...input } = validate(identityProviderReplace, { ...(raw && typeof raw === "object" ? raw : {}), id });
      const before = await find(id);
      const { id: _id, clientSecret: _none, ...data } = toProviderData(input);
      const after = await store.updateProvider(id, { ...data, ...(secret !== undefined ? { clientSecret: secret } : {}) });
      if (!after) throw notFound(`identity provider ${id}`);
      await record(actor, "admin.identity_provider_updated", { before: audited(before), after: audited(after) });
      return view(after);
    },

    /** PATCH: the given fields; `client_secret: null` removes the secret. */
    async update(principal: Principal, id: string, raw: unknown): Promise<IdentityProviderView> {
      const actor = await authorize(principal);
      const patch = validate(identityProviderPatch, raw);
      const before = await find(id);
      const merged = applyPatch(before, patch);
      if (!merged.ok) throw invalid(merged.issues);
      const after = await store.updateProvider(id, merged.data);
      if (!after) throw notFound(`identity provider ${id}`);
      await record(actor, "admin.identity_provider_updated", { before: audited(before), after: audited(after) });
      return view(after);
    },

    /** Its users' links stay (they name a provider that is gone). */
    async remove(principal: Principal, id: string): Promise<void> {
      const actor = await authorize(principal);
      const before = await find(id);
      if (!(await store.deleteProvider(id))) throw notFound(`identity provider ${id}`);
      await record(actor, "admin.identity_provider_deleted", { before: audited(before) });
    },
  };
}

export type IdentityProviderAdmin = ReturnType<typeof createIdentityProviderAdmin>;
