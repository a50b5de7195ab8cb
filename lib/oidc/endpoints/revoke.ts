/**
 * Token revocation (RFC 7009).
 *
 * Rules:
 * - the client authenticates as at the token endpoint (public clients with client_id);
 * - `token` is required; an unknown token_type_hint is ignored;
 * - an invalid, expired or unknown token answers 200 as if revoked;
 * - a reference token issued to another client is refused with invalid_request;
 * - a JWT access token cannot be revoked: unsupported_token_type (use reference tokens for that);
 * - revoking a refresh token removes its whole family: the refresh chain and the reference
 *   access tokens issued from the same grant.
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2
 */
import { authenticateClient } from "../client-auth/authenticate";
import { readCredentials } from "../client-auth/credentials";
import type { ProviderContext } from "../context";
import { InvalidRequest, UnsupportedTokenType } from "../errors";
import { readForm, requireParam } from "../http";
import { inspectAccessToken } from "../tokens/inspect";
import { refreshTokenKey } from "../tokens/user-tokens";
import { GrantRecordType } from "../constants";
import { respond } from "./respond";

export function revoke(req: Request, ctx: ProviderContext): Promise<Response> {
  return respond(ctx, "revocation", async () => {
    const form = await readForm(req);
    const client = await authenticateClient(ctx, readCredentials(req, form));
    const token = requireParam(form, "token");
    const refresh = await ctx.stores.grants.findGrant(await refreshTokenKey(token));
    if (refresh?.type === GrantRecordType.refreshToken && refresh.familyId) {
      if (refresh.clientId !== client.clientId) throw new InvalidRequest("client is not authorized to revoke the presented token");
      await ctx.stores.grants.removeFamily(refresh.familyId);
      await ctx.stores.audit.record({ type: "token_revoked", clientId: client.clientId, subject: refresh.subjectId ?? undefined, details: { kind: "refresh_token" } });
      return revoked();
    }
    const found = await inspectAccessToken(ctx, token);
    if (found) {
      if (found.claims.client_id !== client.clientId) throw new InvalidRequest("client is not authorized to revoke the presented token");
      if (found.format === "jwt") throw new UnsupportedTokenType("structured JWT access tokens cannot be revoked");
      await ctx.stores.grants.removeGrant(found.key!);
      await ctx.stores.audit.record({ type: "token_revoked", clientId: client.clientId, subject: found.claims.sub, details: { jti: found.claims.jti } });
    }
    return revoked();
  });
}

function revoked(): Response {
  return new Response(null, { status: 200, headers: { "Cache-Control": "no-store", Pragma: "no-cache" } });
}
