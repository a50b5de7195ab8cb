/**
 * JWT Secured Authorization Response Mode (JARM): the authorization response as one signed JWT in
 * a `response` parameter, for the response modes query.jwt, fragment.jwt and form_post.jwt.
 *
 * Rules:
 * - the JWT carries iss (this issuer), aud (the client), exp (JARM_LIFETIME seconds) and every
 *   parameter the plain response would (code, id_token, state, or error and error_description);
 * - it is signed with RS256 (authorization_signing_alg_values_supported), typ JWT;
 * - it travels as the base mode says: in the query, the fragment or an auto-submitted form.
 * @see https://openid.net/specs/oauth-v2-jarm-final.html
 */
import { authorizationResponse } from "./authorization-response";
import { DEFAULT_SIGNING_ALG, JARM_LIFETIME, type ResponseMode } from "./constants";
import type { ProviderContext } from "./context";
import { signJwt } from "./jwt";

export const JARM_SIGNING_ALGS = [DEFAULT_SIGNING_ALG];

/** Sends an authorization response (success or error) in the request's response mode. */
export async function respondToClient(
  ctx: ProviderContext,
  target: { clientId: string; redirectUri: string; responseMode: ResponseMode },
  params: Record<string, string | undefined>,
): Promise<Response> {
  if (!target.responseMode.endsWith(".jwt")) return authorizationResponse(target, params);
  const iat = Math.floor(ctx.now() / 1000);
  const claims = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
  const response = await signJwt(
    await ctx.keys.signingKey(DEFAULT_SIGNING_ALG),
    { typ: "JWT" },
    { ...claims, iss: ctx.settings.issuer, aud: target.clientId, iat, exp: iat + JARM_LIFETIME },
  );
  const base = target.responseMode.slice(0, -".jwt".length) as ResponseMode;
  return authorizationResponse({ redirectUri: target.redirectUri, responseMode: base }, { response });
}
