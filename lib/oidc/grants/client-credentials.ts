/**
 * The client credentials grant (RFC 6749 section 4.4).
 *
 * Rules:
 * - only confidential clients (the token endpoint authenticated them with a secret or a key);
 * - scope and resource are resolved by checks/resource-scopes;
 * - the subject of the token is the client itself (RFC 9068 section 2.2); no refresh token;
 * - with a DPoP proof the token is bound to its key (RFC 9449 5).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 */
import { resolveResourceScopes } from "../checks/resource-scopes";
import { ClientAuthMethod } from "../constants";
import { oauthError } from "../errors";
import { splitSpaced, param } from "../http";
import { createAccessToken, tokenTypeOf } from "../tokens/access-token";
import type { GrantHandler } from "./types";

export const clientCredentials: GrantHandler = async (ctx, { client, form, dpop }) => {
  if (client.tokenEndpointAuthMethod === ClientAuthMethod.none) {
    throw oauthError.unauthorizedClient("public clients cannot use the client_credentials grant");
  }
  const grant = resolveResourceScopes(
    client,
    await ctx.config.apiResources(),
    splitSpaced(param(form, "scope")),
    form.get("resource") ?? [],
  );
  const issued = await createAccessToken(ctx, { client, subject: client.clientId, ...grant, jkt: dpop?.jkt });
  return {
    access_token: issued.token,
    token_type: tokenTypeOf(issued.claims),
    expires_in: issued.expiresIn,
    scope: grant.scopes.join(" "),
  };
};
