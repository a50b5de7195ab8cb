/**
 * Validates an authorization request (RFC 6749 4.1.1, RFC 7636, OpenID Connect Core 3.1.2.1).
 *
 * Rules, in order:
 * - repeated parameters are refused; `request` (a signed request object) is resolved before
 *   (request-object.ts: its parameters replace the query's), `request_uri` only as the PAR
 *   endpoint gives it out (endpoints/par.ts: its parameters replace the query's);
 * - client_id names an enabled client, redirect_uri is one of its registered URIs exactly (a
 *   native client's loopback URI on any port: redirect-uri.ts);
 *   failing either shows the error page and never redirects;
 * - every later error redirects to the client with error, error_description, state and iss;
 * - a request that did not come through PAR is refused (invalid_request) when the client, its
 *   profile (profiles.ts) or the server requires pushed requests (RFC 9126 5);
 * - response_type is code, code id_token or id_token (in any order) and one of the client's
 *   response_types; with an ID token the nonce is required and response_mode defaults to fragment
 *   and may not be query (OAuth 2.0 Multiple Response Types 5, OpenID Connect Core 3.2.2.1);
 * - response_mode is query, fragment or form_post, or a JARM mode (query.jwt, fragment.jwt,
 *   form_post.jwt; jwt is the response type's default with .jwt); query.jwt is refused like query;
 * - every scope is an identity scope or API scope the client is allowed; offline_access needs
 *   the client's allow_offline_access;
 * - PKCE as checks/pkce.ts says (S256 only; required for public clients and with require_pkce);
 * - prompt is a set of none, login, consent, select_account, with none alone;
 * - max_age is a non-negative integer (the client's default_max_age when absent); resource values are checked as at the token endpoint;
 * - an id_token_hint must be an ID token issued here to this client (it may be expired);
 * - dpop_jkt, when given, is a base64url SHA-256 thumbprint (RFC 9449 10) the code is bound to;
 * - acr_values "idp:<id>" asks for an external identity provider (idpHintOf); the known
 *   authentication classes it names are kept in order (acr.ts), other values ignored; at most 2,000 characters;
 * - the claims parameter as checks/claims-request.ts says (its claims' identity scopes join the scopes).
 */
import {
  ErrorCode,
  OFFLINE_ACCESS,
  Prompt,
  RESPONSE_MODES,
  RESPONSE_TYPES,
  ResponseType,
  type ResponseMode,
  type ResponseTypeName,
} from "../constants";
import type { ProviderContext } from "../context";
import { oauthError, isOAuthError, type OAuthError } from "../errors";
import { param } from "../http";
import type { ClientRecord } from "../ports";
import { parseAcrValues } from "../acr";
import { resolveResourceScopes } from "./resource-scopes";
import { verifyIdTokenHint } from "./id-token-hint";
import { validateCodeChallenge } from "./pkce";
import { parseClaimsRequest } from "./claims-request";
import { redirectUriAllowed } from "./redirect-uri";
import { requiresPushedRequests, responseTypesFor } from "../profiles";

/** The request as the rest of the flow uses it; stored while the user signs in or consents. */
export interface ValidatedAuthorizeRequest {
  clientId: string;
  /** absent in interactions stored before response types other than code: code */
  responseType?: ResponseTypeName;
  redirectUri: string;
  responseMode: ResponseMode;
  state?: string;
  nonce?: string;
  scopes: string[];
  resources: string[];
  codeChallenge?: string;
  prompt: string[];
  maxAge?: number;
  loginHint?: string;
  /** the identity provider the client asked to use (acr_values "idp:<id>"), not yet checked to exist */
  idpHint?: string;
  /** the authentication classes acr_values names (acr.ts), in order of preference */
  acrValues?: string[];
  idTokenHintSub?: string;
  /** user claims the claims parameter asked for in the ID token */
  idTokenClaims?: string[];
  /** RFC 9449 10: the thumbprint of the DPoP key the code is bound to */
  dpopJkt?: string;
}

/** An error shown on our own error page: the redirect target is not trustworthy. */
export class PageError extends Error {
  readonly kind = "page";
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

/** An error sent back to the client's redirect_uri. */
export class RedirectError extends Error {
  readonly kind = "redirect";
  constructor(
    readonly cause: OAuthError,
    readonly target: { clientId: string; redirectUri: string; responseMode: ResponseMode; state?: string },
  ) {
    super(cause.description);
  }
}

/** By a field, not instanceof: a bundler may load this module more than once. */
export function isPageError(err: unknown): err is PageError {
  return err instanceof Error && (err as { kind?: string }).kind === "page";
}
export function isRedirectError(err: unknown): err is RedirectError {
  return err instanceof Error && (err as { kind?: string }).kind === "redirect";
}

export async function validateAuthorizeRequest(
  ctx: ProviderContext,
  form: Map<string, string[]>,
  options: { pushed?: boolean } = {},
): Promise<{ request: ValidatedAuthorizeRequest; client: ClientRecord }> {
  const clientId = param(form, "client_id");
  if (!clientId) throw new PageError(ErrorCode.invalidRequest, "missing required parameter 'client_id'");
  const client = await ctx.config.client(clientId);
  if (!client || !client.enabled) throw new PageError(ErrorCode.invalidClient, "unknown or disabled client");
  const redirectUri = param(form, "redirect_uri");
  if (!redirectUri) throw new PageError(ErrorCode.invalidRequest, "missing required parameter 'redirect_uri'");
  if (!redirectUriAllowed(client, redirectUri))
    throw new PageError(ErrorCode.invalidRequest, "redirect_uri did not match any of the client's registered redirect_uris");

  const state = param(form, "state");
  const responseType = responseTypeOf(param(form, "response_type"));
  const defaultMode: ResponseMode = responseType && responseType !== ResponseType.code ? "fragment" : "query";
  const rawMode = param(form, "response_mode");
  const known = (RESPONSE_MODES as readonly string[]).includes(rawMode ?? "") ? (rawMode as ResponseMode) : undefined;
  const named = known === "jwt" ? (`${defaultMode}.jwt` as ResponseMode) : known;
  const signed = named?.endsWith(".jwt") ?? false;
  // An ID token never travels in the query, not even in an error's redirect.
  const inQuery = named === "query" || named === "query.jwt";
  const responseMode = named && !(inQuery && defaultMode === "fragment") ? named : signed ? "fragment.jwt" : defaultMode;
  const fail = (err: OAuthError) => new RedirectError(err, { clientId, redirectUri, responseMode, state });

  try {
    if (rawMode && !named) throw oauthError.invalidRequest("unsupported response_mode");
    if (named && responseMode !== named)
      throw oauthError.invalidRequest(`response_mode ${rawMode} is not allowed with response_type ${responseType}`);
    if (form.has("request_uri")) throw oauthError.requestUriNotSupported("request_uri parameter is not supported");
    if (!options.pushed && requiresPushedRequests(client, ctx.settings))
      throw oauthError.invalidRequest("pushed authorization request required");
    if (!param(form, "response_type")) throw oauthError.invalidRequest("missing required parameter 'response_type'");
    if (!responseType) throw oauthError.unsupportedResponseType("unsupported response_type requested");
    if (!responseTypesFor(client).includes(responseType))
      throw oauthError.unauthorizedClient("requested response_type is not allowed for this client");

    const requestedScopes = [...new Set((param(form, "scope") ?? "").split(" ").filter(Boolean))];
    const claimsParam = param(form, "claims");
    const claims = claimsParam
      ? parseClaimsRequest(claimsParam, requestedScopes, client.allowedScopes, await ctx.config.identityResources())
      : undefined;
    const scopes = [...requestedScopes, ...(claims?.impliedScopes ?? [])];
    const resources = form.get("resource") ?? [];
    await checkScopes(ctx, client, scopes, resources);

    // PKCE protects a code; response_type id_token gives none.
    const codeChallenge = responseType === ResponseType.idToken ? undefined : validateCodeChallenge(form, client);

    const prompt = [...new Set((param(form, "prompt") ?? "").split(" ").filter(Boolean))];
    for (const p of prompt)
      if (!(Object.values(Prompt) as string[]).includes(p)) throw oauthError.invalidRequest("unsupported prompt value");
    if (prompt.includes(Prompt.none) && prompt.length > 1) throw oauthError.invalidRequest("prompt none must only be used alone");

    const maxAgeRaw = param(form, "max_age");
    let maxAge = client.defaultMaxAge ?? undefined;
    if (maxAgeRaw !== undefined) {
      if (!/^\d{1,9}$/.test(maxAgeRaw)) throw oauthError.invalidRequest("max_age must be a non-negative integer");
      maxAge = Number(maxAgeRaw);
    }
    const nonce = param(form, "nonce");
    if (nonce && nonce.length > 500) throw oauthError.invalidRequest("'nonce' parameter is too long");
    if (!nonce && responseType !== ResponseType.code)
      throw oauthError.invalidRequest(`missing required parameter 'nonce' (response_type ${responseType})`);
    const acrValues = param(form, "acr_values");
    if (acrValues && acrValues.length > 2000) throw oauthError.invalidRequest("'acr_values' parameter is too long");
    const dpopJkt = param(form, "dpop_jkt");
    if (dpopJkt !== undefined && !/^[A-Za-z0-9_-]{43}$/.test(dpopJkt))
      throw oauthError.invalidRequest("dpop_jkt must be a base64url SHA-256 JWK thumbprint");
    const hint = param(form, "id_token_hint");
    let idTokenHintSub: string | undefined;
    if (hint) {
      const verified = await verifyIdTokenHint(ctx, hint, client.clientId);
      if (!verified) throw oauthError.invalidRequest("id_token_hint is not a valid ID token issued to this client");
      idTokenHintSub = verified.sub;
    }

    return {
      client,
      request: {
        clientId,
        ...(responseType !== ResponseType.code ? { responseType } : {}),
        redirectUri,
        responseMode,
        state,
        nonce,
        scopes,
        resources,
        codeChallenge,
        prompt,
        maxAge,
        loginHint: param(form, "login_hint")?.slice(0, 200),
        idpHint: idpHintOf(acrValues),
        ...acrValuesOf(acrValues, claims?.acrValues),
        idTokenHintSub,
        ...(claims?.idToken.length ? { idTokenClaims: claims.idToken } : {}),
        ...(dpopJkt ? { dpopJkt } : {}),
      },
    };
  } catch (err) {
    if (!isOAuthError(err)) throw err;
    throw fail(err);
  }
}

/** The scope rules above (identity scopes allowed, offline_access, API scopes and resources); also the device authorization endpoint's. */
export async function checkScopes(ctx: ProviderContext, client: ClientRecord, scopes: string[], resources: string[]): Promise<void> {
  const identity = new Set((await ctx.config.identityResources()).filter((r) => r.enabled).map((r) => r.name));
  const allowed = new Set(client.allowedScopes);
  const apiScopes: string[] = [];
  for (const s of scopes) {
    if (s === OFFLINE_ACCESS) {
      if (!client.allowOfflineAccess) throw oauthError.invalidScope("offline_access is not allowed for this client");
    } else if (identity.has(s)) {
      if (!allowed.has(s)) throw oauthError.invalidScope(`requested scope is not allowed: ${s}`);
    } else {
      apiScopes.push(s);
    }
  }
  if (scopes.length === 0) throw oauthError.invalidScope("scope is required");
  if (apiScopes.length || resources.length) resolveResourceScopes(client, await ctx.config.apiResources(), apiScopes, resources);
}

/** A response_type's registered spelling ("id_token code" is "code id_token"), or undefined for one not supported. */
function responseTypeOf(raw: string | undefined): ResponseTypeName | undefined {
  const words = [...new Set((raw ?? "").split(" ").filter(Boolean))].sort();
  return RESPONSE_TYPES.find((t) => t.split(" ").sort().join(" ") === words.join(" "));
}

/** The classes acr_values names, else those of the claims parameter's id_token acr. */
function acrValuesOf(acrValues: string | undefined, fromClaims: string[] = []): { acrValues?: string[] } {
  const named = parseAcrValues(acrValues);
  const chosen = named.length ? named : parseAcrValues(fromClaims.join(" "));
  return chosen.length ? { acrValues: chosen } : {};
}

/**
 * acr_values "idp:<id>" names the external identity provider to sign in with, skipping the choice
 * on the login page (the convention of Duende IdentityServer); other values are ignored.
 */
function idpHintOf(acrValues: string | undefined): string | undefined {
  const token = acrValues?.split(" ").find((v) => v.startsWith("idp:"));
  const id = token?.slice("idp:".length);
  return id && /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : undefined;
}
