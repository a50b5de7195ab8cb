/**
 * The UserInfo endpoint (OpenID Connect Core 5.3) with Bearer tokens (RFC 6750).
 *
 * Rules:
 * - GET or POST; the token comes in the Authorization header or, for POST, the access_token
 *   form parameter, never both;
 * - no token: 401 with a bare Bearer challenge; a malformed Authorization header or a token
 *   sent twice: 400 invalid_request; an invalid, expired or non-user token: 401 invalid_token;
 *   a token without the openid scope: 403 insufficient_scope; every error carries a Bearer challenge;
 * - the claims released are those of the identity scopes the token carries.
 */
import { OPENID } from "../constants";
import type { ProviderContext } from "../context";
import { oauthError } from "../errors";
import { jsonNoStore, readForm, REALM, bearerTokenOf } from "../http";
import { inspectAccessToken } from "../tokens/inspect";
import { userClaims } from "../tokens/claims";
import { respond } from "./respond";

export function userinfo(req: Request, ctx: ProviderContext): Promise<Response> {
  return respond(
    ctx,
    "userinfo",
    async () => {
      const token = await bearerToken(req);
      if (!token) {
        return new Response(null, { status: 401, headers: { "WWW-Authenticate": `Bearer realm="${REALM}"`, "Cache-Control": "no-store" } });
      }
      const found = await inspectAccessToken(ctx, token);
      if (!found || found.claims.auth_time === undefined) throw oauthError.invalidToken("access token is invalid or expired");
      if (!found.claims.scope.split(" ").includes(OPENID)) throw oauthError.insufficientScope("access token lacks the openid scope");
      const user = await ctx.stores.users.findUser(found.subject);
      if (!user || user.locked) throw oauthError.invalidToken("access token is invalid or expired");
      // sub as the token gives it: pairwise for a pairwise client
      return jsonNoStore({
        ...userClaims(user, found.claims.scope.split(" "), await ctx.config.identityResources()),
        sub: found.claims.sub,
      });
    },
    "Bearer",
  );
}

async function bearerToken(req: Request): Promise<string | undefined> {
  const header = req.headers.get("authorization");
  let fromHeader: string | undefined;
  if (header !== null) {
    fromHeader = bearerTokenOf(header) ?? undefined;
    if (!fromHeader) throw oauthError.invalidRequest("invalid authorization header value format");
  }
  let fromBody: string | undefined;
  if (req.method === "POST" && (req.headers.get("content-type") ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    fromBody = (await readForm(req)).get("access_token")?.[0];
  }
  if (fromHeader && fromBody) throw oauthError.invalidRequest("access token must only be provided using one method");
  return fromHeader ?? fromBody;
}
