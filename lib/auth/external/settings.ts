/**
 * A provider's effective settings (its kind's or preset's defaults under what was configured),
 * and the conversions between the wire description (lib/schemas/identity-provider.ts) and the
 * stored record.
 */
import {
  identityProviderFields,
  providerFieldIssues,
  type FirstLoginPolicy,
  type IdentityProviderInput,
  type IdentityProviderPatch,
  type IdentityProviderView,
  type PresetName,
  type ProviderType,
} from "../../schemas/identity-provider";
import type { IdentityProviderData, IdentityProviderRecord } from "./ports";
import { OIDC_CLAIMS, isPreset, presets, type Endpoints } from "./presets";

/** The account's linked logins page: a link started there comes back there. */
export const ACCOUNT_PAGE = "/account/links";
/** Where a link that needs a recent sign-in first sends the browser (lib/account/reauth.ts). */
export const REAUTH_PAGE = "/account/reauth";

/** Where the handshake routes are mounted, below the issuer. */
export const EXTERNAL_BASE_PATH = "/interaction/external";

/** The redirect URI to register at the provider. */
export function callbackUrl(issuer: string, providerId: string): string {
  return `${issuer}${EXTERNAL_BASE_PATH}/callback/${providerId}`;
}

export interface ResolvedProvider {
  id: string;
  displayName: string;
  type: ProviderType;
  preset: PresetName | null;
  kind: "oidc" | "oauth2";
  icon: string | null;
  /** oidc: discovery is read here; oauth2: the expected RFC 9207 iss, when known */
  issuer: string | null;
  endpoints: Endpoints | null;
  clientId: string;
  clientSecret: string | null;
  scope: string;
  /** the full mapping: defaults with the configured entries over them */
  claims: Record<string, string>;
  multiTenant: boolean;
  tenant: string | null;
  enabled: boolean;
  trustEmail: boolean;
  firstLogin: FirstLoginPolicy;
  emailDomains: string[];
  updatedAt: Date;
}

const OAUTH2_DEFAULT_SCOPE = "openid email profile";
const OIDC_DEFAULT_SCOPE = "openid email profile";

export function resolveProvider(r: IdentityProviderRecord): ResolvedProvider {
  const common = {
    id: r.id,
    displayName: r.displayName,
    type: r.type,
    clientId: r.clientId,
    clientSecret: r.clientSecret,
    enabled: r.enabled,
    trustEmail: r.trustEmail,
    firstLogin: r.firstLogin,
    emailDomains: r.emailDomains,
    updatedAt: r.updatedAt,
    tenant: r.tenant,
  };
  const given =
    r.authorizationEndpoint && r.tokenEndpoint && r.userinfoEndpoint
      ? { authorization: r.authorizationEndpoint, token: r.tokenEndpoint, userinfo: r.userinfoEndpoint }
      : null;
  if (isPreset(r.type)) {
    const p = presets[r.type]({ tenant: r.tenant ?? undefined, baseUrl: r.type === "gitlab" ? (r.issuer ?? undefined) : undefined });
    return {
      ...common,
      preset: p.preset,
      kind: p.kind,
      icon: p.icon,
      issuer: r.issuer ?? p.issuer,
      endpoints: p.kind === "oauth2" ? (given ?? p.endpoints) : null,
      scope: r.scope ?? p.scope,
      claims: { ...p.claims, ...r.claims },
      multiTenant: p.multiTenant && r.issuer === null,
    };
  }
  if (r.type === "oidc") {
    return {
      ...common,
      preset: null,
      kind: "oidc",
      icon: null,
      issuer: r.issuer,
      endpoints: null,
      scope: r.scope ?? OIDC_DEFAULT_SCOPE,
      claims: { ...OIDC_CLAIMS, ...r.claims },
      multiTenant: false,
    };
  }
  return {
    ...common,
    preset: null,
    kind: "oauth2",
    icon: null,
    issuer: r.issuer,
    endpoints: given,
    scope: r.scope ?? OAUTH2_DEFAULT_SCOPE,
    claims: { ...OIDC_CLAIMS, ...r.claims },
    multiTenant: false,
  };
}

/** A parsed wire description as the store writes it. */
export function toProviderData(input: IdentityProviderInput): IdentityProviderData {
  return {
    id: input.id,
    displayName: input.display_name,
    type: input.type,
    issuer: input.issuer ?? null,
    authorizationEndpoint: input.authorization_endpoint ?? null,
    tokenEndpoint: input.token_endpoint ?? null,
    userinfoEndpoint: input.userinfo_endpoint ?? null,
    tenant: input.tenant ?? null,
    clientId: input.client_id,
    clientSecret: input.client_secret ?? null,
    scope: input.scope ?? null,
    enabled: input.enabled,
    claims: input.claims,
    trustEmail: input.trust_email,
    firstLogin: input.first_login,
    emailDomains: [...new Set(input.email_domains)],
  };
}

/** What the API and the console show: what was configured (defaults are not spelled out), no secret. */
export function toProviderView(r: IdentityProviderRecord, issuer: string): IdentityProviderView {
  return {
    id: r.id,
    display_name: r.displayName,
    type: r.type,
    ...(r.issuer !== null ? { issuer: r.issuer } : {}),
    ...(r.authorizationEndpoint !== null ? { authorization_endpoint: r.authorizationEndpoint } : {}),
    ...(r.tokenEndpoint !== null ? { token_endpoint: r.tokenEndpoint } : {}),
    ...(r.userinfoEndpoint !== null ? { userinfo_endpoint: r.userinfoEndpoint } : {}),
    ...(r.tenant !== null ? { tenant: r.tenant } : {}),
    client_id: r.clientId,
    ...(r.scope !== null ? { scope: r.scope } : {}),
    enabled: r.enabled,
    claims: r.claims,
    trust_email: r.trustEmail,
    first_login: r.firstLogin,
    email_domains: r.emailDomains,
    callback_url: callbackUrl(issuer, r.id),
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
  };
}

/**
 * Applies a PATCH to a stored provider: the merged description must pass the same rules as a new
 * one. Returns the data to write (clientSecret undefined keeps the stored secret) or the issues.
 */
export function applyPatch(
  current: IdentityProviderRecord,
  patch: IdentityProviderPatch,
):
  | { ok: true; data: Omit<IdentityProviderData, "id" | "clientSecret"> & { clientSecret?: string | null } }
  | { ok: false; issues: { path: string; message: string }[] } {
  const { client_secret: secret, ...rest } = patch;
  const view = toProviderView(current, "");
  const { callback_url: _c, created_at: _a, updated_at: _u, ...wire } = view;
  const merged = identityProviderFields.safeParse({ ...wire, ...rest });
  if (!merged.success) return { ok: false, issues: merged.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) };
  const issues = providerFieldIssues(merged.data);
  if (issues.length) return { ok: false, issues };
  const { id: _id, clientSecret: _s, ...data } = toProviderData(merged.data);
  return { ok: true, data: secret === undefined ? data : { ...data, clientSecret: secret } };
}

/** What a type brings before anything is configured: the console shows it beside the fields. */
export interface TypeDefaults {
  type: ProviderType;
  kind: "oidc" | "oauth2";
  displayName: string;
  icon: string | null;
  /** oidc: where discovery is read by default; null: it must be given */
  issuer: string | null;
  endpoints: Endpoints | null;
  scope: string;
  claims: Record<string, string>;
}

export function typeDefaults(type: ProviderType): TypeDefaults {
  if (isPreset(type)) {
    const p = presets[type]({});
    return {
      type,
      kind: p.kind,
      displayName: p.displayName,
      icon: p.icon,
      issuer: p.issuer,
      endpoints: p.endpoints,
      scope: p.scope,
      claims: p.claims,
    };
  }
  return {
    type,
    kind: type,
    displayName: type === "oidc" ? "OpenID Connect provider" : "OAuth 2.0 provider",
    icon: null,
    issuer: null,
    endpoints: null,
    scope: type === "oidc" ? OIDC_DEFAULT_SCOPE : OAUTH2_DEFAULT_SCOPE,
    claims: { ...OIDC_CLAIMS },
  };
}
