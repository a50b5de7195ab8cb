import { CLIENT_ASSERTION_ALGS, ClientAuthMethod } from "./constants";
import type { ProviderContext } from "./context";

const AUTH_METHODS = [ClientAuthMethod.basic, ClientAuthMethod.post, ClientAuthMethod.privateKeyJwt];

/**
 * Authorization server metadata: exactly what is implemented.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 */
export async function createMetadata(ctx: ProviderContext): Promise<Record<string, unknown>> {
  const apiScopes = (await ctx.config.apiResources()).filter((r) => r.enabled).flatMap((r) => r.scopes.filter((s) => s.enabled).map((s) => s.name));
  return {
    issuer: ctx.settings.issuer,
    token_endpoint: ctx.urls.token,
    jwks_uri: ctx.urls.jwks,
    introspection_endpoint: ctx.urls.introspection,
    revocation_endpoint: ctx.urls.revocation,
    scopes_supported: apiScopes,
    // No authorization endpoint yet: no response type is served.
    response_types_supported: [],
    grant_types_supported: [...ctx.grants.keys()],
    token_endpoint_auth_methods_supported: AUTH_METHODS,
    token_endpoint_auth_signing_alg_values_supported: CLIENT_ASSERTION_ALGS,
    introspection_endpoint_auth_methods_supported: AUTH_METHODS,
    introspection_endpoint_auth_signing_alg_values_supported: CLIENT_ASSERTION_ALGS,
    revocation_endpoint_auth_methods_supported: AUTH_METHODS,
    revocation_endpoint_auth_signing_alg_values_supported: CLIENT_ASSERTION_ALGS,
  };
}
