/**
 * Security profiles a client may follow (portcullis.profile). A profile switches on every rule it
 * needs, whatever the client's own settings say, so a client cannot follow it by halves; the
 * client schema (lib/schemas/client.ts) refuses settings that contradict it.
 *
 * FAPI 2.0 Security Profile (final), 5.3.2 for the authorization server, as Portcullis applies it:
 * - confidential clients only, authenticated with private_key_jwt (no mTLS here), else invalid_client;
 * - pushed authorization requests only (RFC 9126), else invalid_request;
 * - PKCE with S256 on every authorization request;
 * - sender-constrained access tokens: every token request carries a DPoP proof (RFC 9449);
 * - the iss authorization response parameter (RFC 9207): always sent by Portcullis;
 * - authorization codes live at most 60 seconds;
 * - client assertions, request objects and DPoP proofs signed with PS256, ES256 or EdDSA only (5.4.1);
 * - only the code response type (no implicit, no hybrid: 5.3.2.2), also at the authorization endpoint.
 * Refresh tokens keep Portcullis's rotation, which FAPI 2.0 allows but does not ask for.
 * @see https://openid.net/specs/fapi-security-profile-2_0-final.html#section-5.3.2
 */
import { CLIENT_ASSERTION_ALGS, ClientAuthMethod, ClientProfile } from "./constants";
import type { ProviderSettings } from "./config";
import type { ClientRecord } from "./ports";

/** FAPI 2.0 Security Profile 5.4.1: the algorithms allowed for signatures. */
export const FAPI2_SIGNING_ALGS = ["PS256", "ES256", "EdDSA"] as const;
/** FAPI 2.0 Security Profile 5.3.2.1: the longest an authorization code may live (seconds). */
export const FAPI2_MAX_CODE_LIFETIME = 60;

type ProfiledClient = Pick<ClientRecord, "profile">;
const isFapi2 = (client: ProfiledClient) => client.profile === ClientProfile.fapi2;

/** Authorization requests only through the PAR endpoint. */
export function requiresPushedRequests(
  client: ProfiledClient & Pick<ClientRecord, "requirePushedAuthorizationRequests">,
  settings: Pick<ProviderSettings, "requirePushedAuthorizationRequests">,
): boolean {
  return isFapi2(client) || client.requirePushedAuthorizationRequests || settings.requirePushedAuthorizationRequests;
}

/** Every authorization request carries an S256 code_challenge. */
export function requiresPkce(client: ProfiledClient & Pick<ClientRecord, "requirePkce" | "tokenEndpointAuthMethod">): boolean {
  return isFapi2(client) || client.requirePkce || client.tokenEndpointAuthMethod === ClientAuthMethod.none;
}

/** Every token request carries a DPoP proof (RFC 9449 5.2 dpop_bound_access_tokens). */
export function requiresDpop(client: ProfiledClient & Pick<ClientRecord, "dpopBoundAccessTokens">): boolean {
  return isFapi2(client) || client.dpopBoundAccessTokens;
}

/** The only authentication method the profile allows, when it narrows the client's. */
export function requiredAuthMethod(client: ProfiledClient): string | undefined {
  return isFapi2(client) ? ClientAuthMethod.privateKeyJwt : undefined;
}

/** The algorithms the client's assertions may use. */
export function clientAssertionAlgsFor(client: ProfiledClient & Pick<ClientRecord, "tokenEndpointAuthSigningAlg">): string[] {
  const allowed: readonly string[] = isFapi2(client) ? FAPI2_SIGNING_ALGS : CLIENT_ASSERTION_ALGS;
  if (client.tokenEndpointAuthSigningAlg)
    return allowed.includes(client.tokenEndpointAuthSigningAlg) ? [client.tokenEndpointAuthSigningAlg] : [];
  return [...allowed];
}

/** The algorithms the client's request objects may use (RFC 9101; FAPI 2.0 5.4.1). */
export function requestObjectAlgsFor(client: ProfiledClient & Pick<ClientRecord, "requestObjectSigningAlg">): string[] {
  const allowed: readonly string[] = isFapi2(client) ? FAPI2_SIGNING_ALGS : CLIENT_ASSERTION_ALGS;
  if (client.requestObjectSigningAlg) return allowed.includes(client.requestObjectSigningAlg) ? [client.requestObjectSigningAlg] : [];
  return [...allowed];
}

/** The response types the client may use: code alone under FAPI 2.0. */
export function responseTypesFor(client: ProfiledClient & Pick<ClientRecord, "responseTypes">): string[] {
  return isFapi2(client) ? client.responseTypes.filter((t) => t === "code") : client.responseTypes;
}

/** The algorithms the client's DPoP proofs may use; undefined: any of DPOP_SIGNING_ALGS. */
export function dpopAlgorithmsFor(client: ProfiledClient): readonly string[] | undefined {
  return isFapi2(client) ? FAPI2_SIGNING_ALGS : undefined;
}

/** Seconds the client's authorization codes live. */
export function codeLifetimeFor(client: ProfiledClient & Pick<ClientRecord, "authorizationCodeLifetime">): number {
  return isFapi2(client) ? Math.min(client.authorizationCodeLifetime, FAPI2_MAX_CODE_LIFETIME) : client.authorizationCodeLifetime;
}
