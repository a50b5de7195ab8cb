/**
 * Presets for common identity providers: factories returning plain configuration (where the
 * provider is, the default scope, the claim mapping, an icon name). Locations come from
 * @auth/core's own presets, so a fix there reaches us with the next version; the claim mappings
 * are ours (they say where the subject, the email and its verification come from).
 *
 * - github: OAuth 2.0 (GitHub has no OpenID Connect for users). The email comes from
 *   /user/emails (the primary address and whether GitHub verified it), read by handshake.ts.
 * - google: OpenID Connect at https://accounts.google.com.
 * - microsoft-entra-id: OpenID Connect at https://login.microsoftonline.com/{tenant}/v2.0. Entra
 *   ID tokens carry no email_verified: its email is never trusted for a silent link.
 * - gitlab: OpenID Connect at https://gitlab.com (or a self-managed base URL). @auth/core's GitLab
 *   preset uses the REST API's /api/v4/user, which says nothing about email verification; GitLab's
 *   OpenID Connect does, and gives a signed ID token.
 */
import GitHub from "@auth/core/providers/github";
import GitLab from "@auth/core/providers/gitlab";
import Google from "@auth/core/providers/google";
import MicrosoftEntraID from "@auth/core/providers/microsoft-entra-id";
import type { PresetName } from "../../schemas/identity-provider";

export interface Endpoints {
  authorization: string;
  token: string;
  userinfo: string;
}

export interface PresetConfig {
  preset: PresetName;
  kind: "oidc" | "oauth2";
  displayName: string;
  /** an icon the login page can show: github, google, microsoft, gitlab */
  icon: string;
  /** oidc: where discovery is read; oauth2: the RFC 9207 `iss` the provider sends back */
  issuer: string;
  /** oauth2 only */
  endpoints: Endpoints | null;
  scope: string;
  /** local claim -> upstream claim */
  claims: Record<string, string>;
  /** ID tokens are issued by each user's own tenant, not by `issuer` (Entra common/organizations/consumers) */
  multiTenant: boolean;
}

/** The mapping of any OpenID provider: the standard claims under their own names. */
export const OIDC_CLAIMS: Readonly<Record<string, string>> = {
  sub: "sub",
  email: "email",
  email_verified: "email_verified",
  preferred_username: "preferred_username",
  name: "name",
  given_name: "given_name",
  family_name: "family_name",
  picture: "picture",
  locale: "locale",
};

/** No credentials are needed to read locations from @auth/core's presets. */
const NO_CREDENTIALS = { clientId: "", clientSecret: "" };

const endpointUrl = (e: unknown): string => {
  if (typeof e === "string") return e.split("?")[0]!;
  if (e && typeof e === "object" && "url" in e) return String((e as { url: unknown }).url);
  throw new Error("preset endpoint without a URL");
};

export function github(): PresetConfig {
  const p = GitHub(NO_CREDENTIALS);
  const authorization = p.authorization as { url: string; params: { scope: string } };
  return {
    preset: "github",
    kind: "oauth2",
    displayName: p.name,
    icon: "github",
    issuer: p.issuer!,
    endpoints: { authorization: authorization.url, token: endpointUrl(p.token), userinfo: endpointUrl(p.userinfo) },
    scope: authorization.params.scope,
    claims: {
      sub: "id",
      email: "email",
      email_verified: "email_verified",
      preferred_username: "login",
      name: "name",
      picture: "avatar_url",
      profile: "html_url",
    },
    multiTenant: false,
  };
}

export function google(): PresetConfig {
  const p = Google(NO_CREDENTIALS);
  return {
    preset: "google",
    kind: "oidc",
    displayName: p.name,
    icon: "google",
    issuer: p.issuer!,
    endpoints: null,
    scope: "openid email profile",
    claims: { ...OIDC_CLAIMS },
    multiTenant: false,
  };
}

const ENTRA_MULTI_TENANT = new Set(["common", "organizations", "consumers"]);

export function microsoftEntraId(options: { tenant?: string } = {}): PresetConfig {
  const tenant = options.tenant ?? "common";
  const config = { ...NO_CREDENTIALS, issuer: `https://login.microsoftonline.com/${tenant}/v2.0` };
  const p = MicrosoftEntraID(config);
  // The preset asks for Graph's User.Read to fetch a photo; Portcullis does not fetch it.
  const scope = (p.authorization as { params: { scope: string } }).params.scope
    .split(" ")
    .filter((s) => s !== "User.Read")
    .join(" ");
  const { email_verified: _unverified, ...claims } = OIDC_CLAIMS;
  return {
    preset: "microsoft-entra-id",
    kind: "oidc",
    displayName: p.name,
    icon: "microsoft",
    issuer: config.issuer!,
    endpoints: null,
    scope,
    claims,
    multiTenant: ENTRA_MULTI_TENANT.has(tenant.toLowerCase()),
  };
}

export function gitlab(options: { baseUrl?: string } = {}): PresetConfig {
  const p = GitLab({ ...NO_CREDENTIALS, ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) });
  // The preset's token endpoint is {base}/oauth/token; the OpenID issuer is the base itself.
  const issuer = endpointUrl(p.token).replace(/\/oauth\/token$/, "");
  return {
    preset: "gitlab",
    kind: "oidc",
    displayName: p.name,
    icon: "gitlab",
    issuer,
    endpoints: null,
    scope: "openid profile email",
    claims: { ...OIDC_CLAIMS, preferred_username: "nickname", profile: "profile" },
    multiTenant: false,
  };
}

export const presets: Record<PresetName, (options: { tenant?: string; baseUrl?: string }) => PresetConfig> = {
  github: () => github(),
  google: () => google(),
  "microsoft-entra-id": (o) => microsoftEntraId({ tenant: o.tenant }),
  gitlab: (o) => gitlab({ baseUrl: o.baseUrl }),
};

export function isPreset(type: string): type is PresetName {
  return Object.hasOwn(presets, type);
}
