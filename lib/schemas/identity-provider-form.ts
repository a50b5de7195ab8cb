/**
 * The console's identity provider form: the API's description (./identity-provider.ts) with lists
 * edited as text and claim rows, and which location fields each type shows. `providerFromForm`
 * turns the form into the API's shape, so the browser, the server action and the REST API check
 * the same schema; fields the chosen type does not show are left out, never sent empty.
 */
import type { FirstLoginPolicy, IdentityProviderView, ProviderType } from "./identity-provider";

export interface ClaimRow {
  local: string;
  upstream: string;
}

export interface IdentityProviderFormValues {
  id: string;
  display_name: string;
  type: ProviderType;
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  tenant: string;
  client_id: string;
  /** write-only: empty on create means none, on edit keeps the stored one */
  client_secret: string;
  /** edit only: remove the stored secret (a public client, PKCE only) */
  remove_secret: boolean;
  scope: string;
  enabled: boolean;
  claims: ClaimRow[];
  trust_email: boolean;
  first_login: FirstLoginPolicy;
  /** one per line, or separated by commas or spaces */
  email_domains: string;
}

export type LocationField = "issuer" | "authorization_endpoint" | "token_endpoint" | "userinfo_endpoint" | "tenant";

/** The location fields each type shows, and whether they are required. */
export const LOCATION_FIELDS: Record<ProviderType, { field: LocationField; required: boolean }[]> = {
  oidc: [{ field: "issuer", required: true }],
  oauth2: [
    { field: "authorization_endpoint", required: true },
    { field: "token_endpoint", required: true },
    { field: "userinfo_endpoint", required: true },
    { field: "issuer", required: false },
  ],
  // GitHub Enterprise Server: all three endpoints (and its issuer); github.com: none.
  github: [
    { field: "authorization_endpoint", required: false },
    { field: "token_endpoint", required: false },
    { field: "userinfo_endpoint", required: false },
    { field: "issuer", required: false },
  ],
  google: [],
  "microsoft-entra-id": [{ field: "tenant", required: false }],
  // a self-managed GitLab: its base URL
  gitlab: [{ field: "issuer", required: false }],
};

const trimmed = (v: string) => v.trim();

export function emptyProviderForm(type: ProviderType, displayName = ""): IdentityProviderFormValues {
  return {
    id: "",
    display_name: displayName,
    type,
    issuer: "",
    authorization_endpoint: "",
    token_endpoint: "",
    userinfo_endpoint: "",
    tenant: "",
    client_id: "",
    client_secret: "",
    remove_secret: false,
    scope: "",
    enabled: true,
    claims: [],
    trust_email: false,
    first_login: "create_or_link",
    email_domains: "",
  };
}

/** The form's values in the API's shape (client_secret: null removes the stored secret on edit). */
export function providerFromForm(v: IdentityProviderFormValues): Record<string, unknown> {
  const shown = new Set(LOCATION_FIELDS[v.type]?.map((f) => f.field) ?? []);
  const location = Object.fromEntries(
    (["issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "tenant"] as const)
      .filter((f) => shown.has(f) && trimmed(v[f]))
      .map((f) => [f, trimmed(v[f])]),
  );
  const scope = v.scope.split(/\s+/).filter(Boolean).join(" ");
  return {
    id: trimmed(v.id),
    display_name: v.display_name,
    type: v.type,
    ...location,
    client_id: trimmed(v.client_id),
    ...(v.remove_secret ? { client_secret: null } : v.client_secret ? { client_secret: v.client_secret } : {}),
    ...(scope ? { scope } : {}),
    enabled: v.enabled,
    claims: Object.fromEntries(v.claims.filter((c) => c.local.trim() || c.upstream.trim()).map((c) => [c.local.trim(), c.upstream.trim()])),
    trust_email: v.trust_email,
    first_login: v.first_login,
    email_domains: v.email_domains.split(/[\s,]+/).filter(Boolean),
  };
}

/** A stored provider as the edit form shows it (the secret is never shown). */
export function providerToForm(p: IdentityProviderView): IdentityProviderFormValues {
  return {
    ...emptyProviderForm(p.type),
    id: p.id,
    display_name: p.display_name,
    issuer: p.issuer ?? "",
    authorization_endpoint: p.authorization_endpoint ?? "",
    token_endpoint: p.token_endpoint ?? "",
    userinfo_endpoint: p.userinfo_endpoint ?? "",
    tenant: p.tenant ?? "",
    client_id: p.client_id,
    scope: p.scope ?? "",
    enabled: p.enabled,
    claims: Object.entries(p.claims).map(([local, upstream]) => ({ local, upstream })),
    trust_email: p.trust_email,
    first_login: p.first_login,
    email_domains: p.email_domains.join("\n"),
  };
}

/**
 * The form field that shows a problem: claims.<name> and email_domains.<n> at their lists, the
 * rest at the field of the same name, or the top of the form.
 */
export function providerFormField(path: string | readonly PropertyKey[]): string {
  const parts = typeof path === "string" ? path.split(/[.[\]]/).filter(Boolean) : path.map(String);
  const first = parts[0] ?? "";
  const fields = new Set<string>([
    "id",
    "display_name",
    "type",
    "issuer",
    "authorization_endpoint",
    "token_endpoint",
    "userinfo_endpoint",
    "tenant",
    "client_id",
    "client_secret",
    "scope",
    "claims",
    "first_login",
    "email_domains",
  ]);
  return fields.has(first) ? first : "root";
}
