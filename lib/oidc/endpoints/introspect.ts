/**
 * Token introspection (RFC 7662).
 *
 * Rules:
 * - the caller authenticates as an API resource (its name and secret) or as a confidential client;
 * - `token` is required; `token_type_hint` is optional and only a hint;
 * - active: false for anything not a valid, unexpired token issued here, and for a token the caller
 *   may not see: an API resource sees access tokens whose audience includes it, a client its own
 *   access and refresh tokens (a rotated refresh token is inactive);
 * - a revoked token, and a user's token whose user is locked or deleted, is inactive;
 * - a DPoP-bound access token answers token_type DPoP and its cnf.jkt (RFC 9449 6.2).
 * - `Accept: application/token-introspection+jwt` gets the answer as a JWT (RFC 9701): typ
 *   token-introspection+jwt, iss, aud the caller, iat, jti and the answer in token_introspection,
 *   signed with the caller API resource's algorithm (RS256 for clients); errors stay JSON.
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2
 * @see https://www.rfc-editor.org/rfc/rfc9701#section-5
 */
import { authenticateApiResource, authenticateClient } from "../client-auth/authenticate";
import { readCredentials } from "../client-auth/credentials";
import { ClientAuthMethod, DEFAULT_SIGNING_ALG, INTROSPECTION_JWT_TYPE, type SigningAlg } from "../constants";
import { randomHandle } from "../crypto";
import { signJwt } from "../jwt";
import type { ProviderContext } from "../context";
import { oauthError } from "../errors";
import { jsonNoStore, readForm, requireParam } from "../http";
import { inspectAccessToken, userInGoodStanding } from "../tokens/inspect";
import { tokenTypeOf } from "../tokens/access-token";
import { findRecord, recordKey } from "../records";
import { grantRevokedForUser } from "../tokens/family";
import { GrantRecordType } from "../constants";
import { respond } from "./respond";
import { subjectFor } from "../subject";

export function introspect(req: Request, ctx: ProviderContext): Promise<Response> {
  return respond(ctx, "introspection", async () => {
    const form = await readForm(req);
    const presented = readCredentials(req, form);
    const resource = await authenticateApiResource(ctx, presented);
    const client = resource ? null : await authenticateClient(ctx, presented, "introspection.client");
    if (client && client.tokenEndpointAuthMethod === ClientAuthMethod.none)
      throw oauthError.invalidClient("public clients cannot introspect tokens");
    const token = requireParam(form, "token");

    const answer = (result: Record<string, unknown>) =>
      wantsJwt(req)
        ? signedIntrospection(ctx, result, resource ? resource.name : client!.clientId, resource?.signingAlg)
        : jsonNoStore(result);
    if (client) {
      const refresh = await findRecord(ctx, GrantRecordType.refreshToken, await recordKey.refreshToken(ctx, token));
      if (refresh) {
        const data = refresh.data;
        const live = refresh.clientId === client.clientId && !refresh.consumedAt && !refresh.expired;
        if (
          !live ||
          !(await userInGoodStanding(ctx, data.subject)) ||
          (await grantRevokedForUser(ctx, data.subject, data.familyCreatedAt))
        ) {
          return answer({ active: false });
        }
        // No token_type: RFC 7662 means an RFC 6749 access token type, which a refresh token has not.
        return answer({
          active: true,
          client_id: refresh.clientId,
          sub: await subjectFor(ctx, client, data.subject),
          scope: data.scopes.join(" "),
          iss: ctx.settings.issuer,
          ...(refresh.expiresAt ? { exp: Math.floor(refresh.expiresAt.getTime() / 1000) } : {}),
        });
      }
    }
    const found = await inspectAccessToken(ctx, token);
    if (!found) return answer({ active: false });
    const audiences = ([] as string[]).concat(found.claims.aud);
    const visible = resource ? audiences.includes(resource.name) : found.claims.client_id === client!.clientId;
    if (!visible) return answer({ active: false });
    // RFC 9449 6.2: a DPoP-bound token says so (token_type DPoP, cnf.jkt); the resource server checks the proof.
    return answer({ active: true, token_type: tokenTypeOf(found.claims), ...found.claims });
  });
}

/** Whether the caller asked for RFC 9701's JWT (a media range of it in Accept). */
function wantsJwt(req: Request): boolean {
  const accept = req.headers.get("accept") ?? "";
  return accept.split(",").some((range) => range.split(";")[0]!.trim().toLowerCase() === `application/${INTROSPECTION_JWT_TYPE}`);
}

/** @see https://www.rfc-editor.org/rfc/rfc9701#section-5 */
async function signedIntrospection(
  ctx: ProviderContext,
  result: Record<string, unknown>,
  audience: string,
  alg: SigningAlg = DEFAULT_SIGNING_ALG,
): Promise<Response> {
  const jwt = await signJwt(
    await ctx.keys.signingKey(alg),
    { typ: INTROSPECTION_JWT_TYPE },
    { iss: ctx.settings.issuer, aud: audience, iat: Math.floor(ctx.now() / 1000), jti: randomHandle(16), token_introspection: result },
  );
  return new Response(jwt, {
    status: 200,
    headers: { "Content-Type": `application/${INTROSPECTION_JWT_TYPE}`, "Cache-Control": "no-store" },
  });
}
