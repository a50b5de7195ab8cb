/**
 * Token revocation (RFC 7009).
 *
 * Rules:
 * - the client authenticates as at the token endpoint (public clients with client_id);
 * - `token` is required; an unknown token_type_hint is ignored;
 * - an invalid, expired or unknown token answers 200 as if revoked;
 * - a token issued to another client is refused with invalid_request;
 * - a reference access token is deleted; a JWT access token is recorded as revoked until its exp,
 *   and introspection and userinfo refuse it from then on;
 * - revoking a refresh token revokes its whole family (RFC 7009 2.1 SHOULD): the refresh chain
 *   and every access token issued from the same grant.
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2
 */
import { authenticateClient } from "../client-auth/authenticate";
import { readCredentials } from "../client-auth/credentials";
import type { ProviderContext } from "../context";
import { oauthError } from "../errors";
import { readForm, requireParam } from "../http";
import { inspectAccessToken } from "../tokens/inspect";
import { findRecord, recordKey } from "../records";
import { revokeFamily } from "../tokens/family";
import { GrantRecordType } from "../constants";
import { respond } from "./respond";

export function revoke(req: Request, ctx: ProviderContext): Promise<Response> {
  return respond(ctx, "revocation", async () => {
    const form = await readForm(req);
    const client = await authenticateClient(ctx, readCredentials(req, form), "token.client");
    const token = requireParam(form, "token");
    const refresh = await findRecord(ctx, GrantRecordType.refreshToken, await recordKey.refreshToken(ctx, token));
    if (refresh?.familyId) {
      if (refresh.clientId !== client.clientId) throw oauthError.invalidRequest("client is not authorized to revoke the presented token");
      await revokeFamily(ctx, refresh.familyId);
      await ctx.stores.audit.record({
        type: "token_revoked",
        clientId: client.clientId,
        subject: refresh.subjectId ?? undefined,
        details: { kind: "refresh_token" },
      });
      return revoked();
    }
    const found = await inspectAccessToken(ctx, token);
    if (found) {
      if (found.claims.client_id !== client.clientId)
        throw oauthError.invalidRequest("client is not authorized to revoke the presented token");
      if (found.format === "jwt") await ctx.revocations.revokeToken(found.claims.jti, new Date(found.claims.exp * 1000));
      else await ctx.stores.grants.removeGrant(found.key!);
      await ctx.stores.audit.record({
        type: "token_revoked",
        clientId: client.clientId,
        subject: found.subject,
        details: { jti: found.claims.jti },
      });
    }
    return revoked();
  });
}

function revoked(): Response {
  return new Response(null, { status: 200, headers: { "Cache-Control": "no-store", Pragma: "no-cache" } });
}
