import {
  SIGNING_ALGS,
  CLIENT_ASSERTION_ALGS,
  DPOP_SIGNING_ALGS,
  ClientAuthMethod,
  GrantType,
  IMPLICIT,
  OFFLINE_ACCESS,
  Prompt,
  RESPONSE_MODES,
  RESPONSE_TYPES,
} from "./constants";
import type { ProviderContext } from "./context";
import { ACR_VALUES_SUPPORTED } from "./acr";
import { SUBJECT_TYPES } from "./subject";
import { JARM_SIGNING_ALGS } from "./jarm";
import { registrationServed } from "./endpoints/register";

const AUTH_METHODS = [ClientAuthMethod.basic, ClientAuthMethod.post, ClientAuthMethod.privateKeyJwt];

/**
 * Authorization server metadata: exactly what is implemented.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 */
export async function createMetadata(ctx: ProviderContext): Promise<Record<string, unknown>> {
  const apis = (await ctx.config.apiResources()).filter((r) => r.enabled);
  const identity = (await ctx.config.identityResources()).filter((r) => r.enabled);
  const apiScopes = apis.flatMap((r) => r.scopes.filter((s) => s.enabled).map((s) => s.name));
  const identityScopes = identity.filter((r) => r.showInDiscovery).map((r) => r.name);
  return {
    issuer: ctx.settings.issuer,
    authorization_endpoint: ctx.urls.authorize,
    token_endpoint: ctx.urls.token,
    userinfo_endpoint: ctx.urls.userinfo,
    jwks_uri: ctx.urls.jwks,
    end_session_endpoint: ctx.urls.endSession,
    introspection_endpoint: ctx.urls.introspection,
    revocation_endpoint: ctx.urls.revocation,
    scopes_supported: [...identityScopes, OFFLINE_ACCESS, ...apiScopes],
    claims_supported: [...new Set(["sub", "iss", "auth_time", "acr", "amr", "sid", "idp", ...identity.flatMap((r) => r.claims)])],
    response_types_supported: RESPONSE_TYPES,
    response_modes_supported: RESPONSE_MODES,
    authorization_signing_alg_values_supported: JARM_SIGNING_ALGS,
    // implicit: the grant type of the response types with id_token (never an access token in the front channel)
    grant_types_supported: [...ctx.grants.keys(), IMPLICIT],
    subject_types_supported: SUBJECT_TYPES,
    acr_values_supported: ACR_VALUES_SUPPORTED,
    id_token_signing_alg_values_supported: ["RS256"],
    code_challenge_methods_supported: ["S256"],
    prompt_values_supported: Object.values(Prompt),
    token_endpoint_auth_methods_supported: [...AUTH_METHODS, ClientAuthMethod.none],
    token_endpoint_auth_signing_alg_values_supported: CLIENT_ASSERTION_ALGS,
    introspection_endpoint_auth_methods_supported: AUTH_METHODS,
    introspection_endpoint_auth_signing_alg_values_supported: CLIENT_ASSERTION_ALGS,
    // RFC 9701: JWT introspection responses, signed as the calling API resource's access tokens are
    introspection_signing_alg_values_supported: SIGNING_ALGS,
    revocation_endpoint_auth_methods_supported: [...AUTH_METHODS, ClientAuthMethod.none],
    revocation_endpoint_auth_signing_alg_values_supported: CLIENT_ASSERTION_ALGS,
    authorization_response_iss_parameter_supported: true,
    claims_parameter_supported: true,
    request_parameter_supported: true,
    request_object_signing_alg_values_supported: CLIENT_ASSERTION_ALGS,
    request_uri_parameter_supported: false,
    pushed_authorization_request_endpoint: ctx.urls.pushedAuthorizationRequest,
    require_pushed_authorization_requests: ctx.settings.requirePushedAuthorizationRequests,
    // RFC 8628 4: the device flow is served exactly when its grant is in the registry.
    ...(ctx.grants.has(GrantType.deviceCode) ? { device_authorization_endpoint: ctx.urls.deviceAuthorization } : {}),
    ...(registrationServed(ctx) ? { registration_endpoint: ctx.urls.registration } : {}),
    // Back-Channel Logout 1.0 section 2.1 and Front-Channel Logout 1.0 section 3: logout tokens
    // and iframe URLs always carry sid (and iss).
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
    frontchannel_logout_supported: true,
    frontchannel_logout_session_supported: true,
    dpop_signing_alg_values_supported: DPOP_SIGNING_ALGS,
  };
}
