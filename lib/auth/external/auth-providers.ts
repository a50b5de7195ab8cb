/**
 * A configured provider as an @auth/core provider object, built fresh for each request (Auth.js
 * merges into the objects it is given).
 *
 * Rules:
 * - oidc kinds: discovery from the issuer, `checks: ["pkce", "state", "nonce"]`, and the profile
 *   from the userinfo endpoint (`idToken: false`; Auth.js still requires and checks the ID token);
 * - oauth2 kinds: explicit endpoints, `checks: ["pkce", "state"]` (no ID token to carry a nonce);
 * - every upstream call goes through the provider's bounded fetch (timeout, size limit), the
 *   presets' own helpers included: GitHub's email lookup and Entra's tenant-issuer fix are
 *   redone here on that fetch;
 * - the identity is not read by Auth.js's `profile`: the signIn callback (handshake.ts) reads it
 *   through the claim mapping, so `profile` only has to give Auth.js a non-empty id.
 */
import { customFetch } from "@auth/core";
import type { OAuth2Config, OIDCConfig } from "@auth/core/providers";
import MicrosoftEntraID from "@auth/core/providers/microsoft-entra-id";
import type { ProviderEntry } from "./directory";
import type { UpstreamFetch } from "./fetch";

type Profile = Record<string, unknown>;
export type AuthProvider = OIDCConfig<Profile> | OAuth2Config<Profile>;

const placeholderProfile = () => ({ id: "upstream" });

/** `fresh`: ask an OpenID provider to authenticate the person again (OpenID Connect Core 3.1.2.1). */
export function authProvider(entry: ProviderEntry, options: { fresh?: boolean } = {}): AuthProvider {
  const p = entry.provider;
  const client = p.clientSecret
    ? { clientSecret: p.clientSecret, client: { token_endpoint_auth_method: "client_secret_basic" } }
    : { client: { token_endpoint_auth_method: "none" } };
  const common = { id: p.id, name: p.displayName, clientId: p.clientId, ...client, profile: placeholderProfile };

  if (p.kind === "oidc") {
    const base: OIDCConfig<Profile> =
      p.preset === "microsoft-entra-id"
        ? // The preset's internal conform step (re-discovery for the user's tenant) is kept.
          { ...(MicrosoftEntraID({ clientId: p.clientId, issuer: p.issuer! }) as unknown as OIDCConfig<Profile>), options: undefined }
        : { id: p.id, name: p.displayName, type: "oidc" };
    const fetchUpstream = p.preset === "microsoft-entra-id" ? entraFetch(entry.fetch, p.issuer!) : entry.fetch;
    return {
      ...base,
      ...common,
      type: "oidc",
      issuer: p.issuer!,
      authorization: { params: { scope: p.scope, ...(options.fresh ? { max_age: 0, prompt: "login" } : {}) } },
      checks: ["pkce", "state", "nonce"],
      idToken: false,
      [customFetch]: fetchUpstream as typeof fetch,
    };
  }

  const endpoints = p.endpoints!;
  return {
    ...common,
    type: "oauth",
    ...(p.issuer ? { issuer: p.issuer } : {}),
    authorization: { url: endpoints.authorization, params: { scope: p.scope } },
    token: { url: endpoints.token },
    userinfo:
      p.preset === "github"
        ? { url: endpoints.userinfo, request: githubUserinfo(entry.fetch, endpoints.userinfo) }
        : { url: endpoints.userinfo },
    checks: ["pkce", "state"],
    [customFetch]: entry.fetch as typeof fetch,
  };
}

/**
 * GitHub's /user gives only a public email and no word on verification; /user/emails lists every
 * address with `primary` and `verified`. The primary address and its flag become the profile's
 * email and email_verified (needs the user:email scope; without it there is no email).
 */
function githubUserinfo(fetchUpstream: UpstreamFetch, userUrl: string) {
  return async ({ tokens }: { tokens: { access_token?: string } }): Promise<Profile> => {
    const headers = { authorization: `Bearer ${tokens.access_token}`, accept: "application/vnd.github+json", "user-agent": "portcullis" };
    const userRes = await fetchUpstream(userUrl, { headers });
    if (!userRes.ok) throw new Error(`GitHub's ${userUrl} answered ${userRes.status}`);
    const profile = (await userRes.json()) as Profile;
    const emailsRes = await fetchUpstream(`${userUrl.replace(/\/$/, "")}/emails`, { headers });
    const emails = emailsRes.ok ? ((await emailsRes.json()) as { email?: unknown; primary?: unknown; verified?: unknown }[]) : [];
    const primary = Array.isArray(emails) ? emails.find((e) => e.primary === true && typeof e.email === "string") : undefined;
    return { ...profile, email: primary ? primary.email : (profile.email ?? null), email_verified: primary?.verified === true };
  };
}

/**
 * Entra's multi-tenant discovery (common, organizations, consumers) publishes the issuer as
 * https://login.microsoftonline.com/{tenantid}/v2.0; like @auth/core's preset, put the configured
 * tenant in its place so discovery validates, on our bounded fetch.
 */
function entraFetch(fetchUpstream: UpstreamFetch, issuer: string): UpstreamFetch {
  const tenant = /microsoftonline\.com\/([^/]+)\/v2\.0/.exec(issuer)?.[1] ?? "common";
  return async (input, init) => {
    const res = await fetchUpstream(input, init);
    const url = input instanceof Request ? input.url : String(input);
    if (!url.endsWith("/.well-known/openid-configuration") || res.status !== 200) return res;
    const json = (await res.json()) as { issuer?: string };
    return Response.json({ ...json, issuer: json.issuer?.replace("{tenantid}", tenant) });
  };
}
