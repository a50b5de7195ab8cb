/**
 * The console's and the API's "Check" of an identity provider: what Portcullis can find out about
 * it without signing anyone in, in plain words.
 *
 * Rules (OpenID Connect Discovery 1.0, sections 3 and 4):
 * - oidc kinds: the document at {issuer}/.well-known/openid-configuration must answer 200 with a
 *   JSON object whose `issuer` equals the configured issuer exactly (a multi-tenant Entra ID
 *   document names a {tenantid} template instead: said, not failed);
 * - `authorization_endpoint`, `token_endpoint` and `jwks_uri` must be URLs; `response_types_supported`
 *   must include `code` (the only flow used); no `S256` in `code_challenge_methods_supported` is a
 *   warning (PKCE is sent anyway), so are the asked scopes missing from `scopes_supported`;
 * - the JWKS is fetched and must hold at least one key;
 * - oauth2 kinds: each endpoint must answer over HTTP at all (any status: a token endpoint answers
 *   GET with 4xx); what it would answer to a real sign-in cannot be checked here;
 * - every call goes through the bounded fetch (timeouts, size limits); nothing is cached.
 */
import type { UpstreamFetch } from "./fetch";
import { UpstreamResponseTooLarge, UpstreamUnavailable } from "./fetch";
import type { ResolvedProvider } from "./settings";

export type CheckLevel = "ok" | "warning" | "error" | "info";

export interface CheckFinding {
  level: CheckLevel;
  message: string;
}

/** `ok` is false when any finding is an error. */
export interface ProviderCheck {
  ok: boolean;
  findings: CheckFinding[];
}

/** What a provider check needs of its provider. */
export type CheckedProvider = Pick<ResolvedProvider, "kind" | "issuer" | "endpoints" | "scope" | "multiTenant" | "clientSecret">;

const DISCOVERY = "/.well-known/openid-configuration";

/** The discovery document's URL for an issuer (its trailing slash removed first). */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/$/, "")}${DISCOVERY}`;
}

type Fetched = { ok: true; json: unknown } | { ok: false; message: string };

async function fetchJson(fetchUpstream: UpstreamFetch, url: string, what: string): Promise<Fetched> {
  let res: Response;
  try {
    res = await fetchUpstream(url, { headers: { accept: "application/json" }, redirect: "manual" });
  } catch (err) {
    return { ok: false, message: `${what} at ${url} could not be read: ${callFailure(err)}` };
  }
  if (res.status !== 200) return { ok: false, message: `${what} at ${url} answered HTTP ${res.status}, not 200` };
  try {
    return { ok: true, json: JSON.parse(await res.text()) as unknown };
  } catch {
    return { ok: false, message: `${what} at ${url} is not JSON` };
  }
}

function callFailure(err: unknown): string {
  if (err instanceof UpstreamUnavailable) return `unreachable (${err.message})`;
  if (err instanceof UpstreamResponseTooLarge) return `too large (${err.message})`;
  return err instanceof Error ? err.message : String(err);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isUrl = (v: unknown): v is string => typeof v === "string" && URL.canParse(v);
const strings = (v: unknown): string[] | null => (Array.isArray(v) && v.every((x) => typeof x === "string") ? (v as string[]) : null);

/**
 * Checks a provider's discovery document and JWKS (oidc kinds) or that its endpoints answer
 * (oauth2 kinds).
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfigurationValidation
 */
export async function checkProvider(provider: CheckedProvider, fetchUpstream: UpstreamFetch): Promise<ProviderCheck> {
  const findings = provider.kind === "oidc" ? await checkDiscovery(provider, fetchUpstream) : await checkEndpoints(provider, fetchUpstream);
  if (provider.clientSecret === null)
    findings.push({ level: "info", message: "No client secret is set: the provider must accept a public client (PKCE only)." });
  return { ok: !findings.some((f) => f.level === "error"), findings };
}

async function checkDiscovery(provider: CheckedProvider, fetchUpstream: UpstreamFetch): Promise<CheckFinding[]> {
  if (!provider.issuer) return [{ level: "error", message: "No issuer is set: an OpenID provider is found by its issuer." }];
  const findings: CheckFinding[] = [];
  const url = discoveryUrl(provider.issuer);
  const got = await fetchJson(fetchUpstream, url, "The discovery document");
  if (!got.ok) return [{ level: "error", message: got.message }];
  const doc = got.json;
  if (!isObject(doc)) return [{ level: "error", message: `The discovery document at ${url} is JSON but not an object.` }];
  findings.push({ level: "ok", message: `The discovery document at ${url} was read.` });

  if (doc.issuer === provider.issuer) findings.push({ level: "ok", message: `It names the issuer ${provider.issuer} exactly.` });
  else if (provider.multiTenant && typeof doc.issuer === "string")
    findings.push({
      level: "info",
      message: `It names the issuer template ${doc.issuer}: each user's own tenant issues their ID token (multi-tenant).`,
    });
  else
    findings.push({
      level: "error",
      message:
        typeof doc.issuer === "string"
          ? `It names the issuer ${doc.issuer}, but the configured issuer is ${provider.issuer}: they must be equal exactly (check the trailing slash).`
          : "It names no issuer.",
    });

  for (const [field, what] of [
    ["authorization_endpoint", "authorization endpoint"],
    ["token_endpoint", "token endpoint"],
    ["jwks_uri", "key set (jwks_uri)"],
  ] as const) {
    if (!isUrl(doc[field])) findings.push({ level: "error", message: `It has no ${what}: ${field} is missing or not a URL.` });
  }
  if (isUrl(doc.authorization_endpoint) && isUrl(doc.token_endpoint))
    findings.push({ level: "ok", message: `Authorization endpoint ${doc.authorization_endpoint}, token endpoint ${doc.token_endpoint}.` });

  const responseTypes = strings(doc.response_types_supported);
  if (!responseTypes) findings.push({ level: "error", message: "It lists no response_types_supported." });
  else if (!responseTypes.includes("code"))
    findings.push({ level: "error", message: `It does not support the response type code (only ${responseTypes.join(", ") || "none"}).` });
  else findings.push({ level: "ok", message: "It supports the authorization code flow (response type code)." });

  const pkce = strings(doc.code_challenge_methods_supported);
  if (pkce?.includes("S256")) findings.push({ level: "ok", message: "It advertises PKCE with S256." });
  else
    findings.push({
      level: "warning",
      message: pkce
        ? `It does not advertise PKCE with S256 (only ${pkce.join(", ") || "none"}); Portcullis sends it anyway.`
        : "It does not advertise PKCE (code_challenge_methods_supported); Portcullis sends S256 anyway.",
    });

  const asked = provider.scope.split(" ").filter(Boolean);
  const supported = strings(doc.scopes_supported);
  if (supported) {
    const missing = asked.filter((s) => !supported.includes(s));
    if (missing.length)
      findings.push({ level: "warning", message: `It does not list the scopes ${missing.join(", ")} that Portcullis asks for.` });
    else findings.push({ level: "ok", message: `It lists all the scopes asked for (${asked.join(" ")}).` });
  } else findings.push({ level: "info", message: "It lists no scopes_supported: the scopes asked for cannot be checked." });

  if (isUrl(doc.jwks_uri)) findings.push(await checkKeys(doc.jwks_uri, fetchUpstream));
  return findings;
}

async function checkKeys(url: string, fetchUpstream: UpstreamFetch): Promise<CheckFinding> {
  const got = await fetchJson(fetchUpstream, url, "The key set");
  if (!got.ok) return { level: "error", message: got.message };
  const keys = isObject(got.json) && Array.isArray(got.json.keys) ? got.json.keys : null;
  if (!keys) return { level: "error", message: `The key set at ${url} has no keys array.` };
  if (keys.length === 0) return { level: "error", message: `The key set at ${url} is empty: no ID token could be verified.` };
  return { level: "ok", message: `The key set at ${url} has ${keys.length} ${keys.length === 1 ? "key" : "keys"}.` };
}

async function checkEndpoints(provider: CheckedProvider, fetchUpstream: UpstreamFetch): Promise<CheckFinding[]> {
  const e = provider.endpoints;
  if (!e) return [{ level: "error", message: "The authorization, token and userinfo endpoints are not all set." }];
  const findings: CheckFinding[] = [];
  for (const [what, url] of [
    ["authorization endpoint", e.authorization],
    ["token endpoint", e.token],
    ["userinfo endpoint", e.userinfo],
  ] as const) {
    try {
      const res = await fetchUpstream(url, { redirect: "manual" });
      findings.push({ level: "ok", message: `The ${what} ${url} answers (HTTP ${res.status}).` });
    } catch (err) {
      findings.push({ level: "error", message: `The ${what} ${url} could not be reached: ${callFailure(err)}` });
    }
  }
  findings.push({
    level: "info",
    message: "An OAuth 2.0 provider has no discovery document: beyond reaching its endpoints, only a real sign-in tests it.",
  });
  return findings;
}
