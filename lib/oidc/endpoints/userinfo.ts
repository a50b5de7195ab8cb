/**
 * The UserInfo endpoint (OpenID Connect Core 5.3) with Bearer (RFC 6750) and DPoP (RFC 9449 7)
 * access tokens.
 *
 * Rules:
 * - GET or POST; the token comes in the Authorization header (scheme Bearer or DPoP) or, for POST,
 *   the access_token form parameter (Bearer only), never both;
 * - no token: 401 with a bare Bearer challenge and a DPoP challenge naming its algs; a malformed
 *   Authorization header or a token sent twice: 400 invalid_request; an invalid, expired or
 *   non-user token: 401 invalid_token; a token without the openid scope: 403 insufficient_scope;
 *   every error carries the challenge of the scheme used;
 * - DPoP: the request's proof (checks/dpop.ts, with ath) must be valid, else 401
 *   invalid_dpop_proof (use_dpop_nonce when a nonce is required), and its key must be the one the
 *   token is bound to (cnf.jkt), else invalid_token;
 * - a DPoP-bound token presented as a Bearer token is refused: invalid_token;
 * - the claims released are those of the identity scopes the token carries.
 */
import { dpopError, dpopHeaderOf, verifyDpopProof } from "../checks/dpop";
import { OPENID, TokenType, type TokenTypeName } from "../constants";
import type { ProviderContext } from "../context";
import { oauthError } from "../errors";
import { jsonNoStore, readForm, REALM, bearerTokenOf, dpopTokenOf, DPOP_CHALLENGE } from "../http";
import { inspectAccessToken } from "../tokens/inspect";
import { userClaims } from "../tokens/claims";
import { respond } from "./respond";

export function userinfo(req: Request, ctx: ProviderContext): Promise<Response> {
  const scheme = /^dpop /i.test(req.headers.get("authorization") ?? "") ? TokenType.dpop : TokenType.bearer;
  return respond(
    ctx,
    "userinfo",
    async () => {
      const token = await presentedToken(req, scheme);
      if (!token) {
        return new Response(null, {
          status: 401,
          headers: { "WWW-Authenticate": `Bearer realm="${REALM}", ${DPOP_CHALLENGE}`, "Cache-Control": "no-store" },
        });
      }
      let jkt: string | undefined;
      if (scheme === TokenType.dpop) {
        const proof = dpopHeaderOf(req, "resource");
        if (!proof) throw dpopError("resource", "DPoP proof is required");
        ({ jkt } = await verifyDpopProof(ctx, req, proof, { url: ctx.urls.userinfo, at: "resource", accessToken: token }));
      }
      const found = await inspectAccessToken(ctx, token);
      if (!found || found.claims.auth_time === undefined) throw oauthError.invalidToken("access token is invalid or expired");
      const bound = found.claims.cnf?.jkt;
      if (bound && !jkt) throw oauthError.invalidToken("DPoP-bound access token must be presented with a DPoP proof");
      if (jkt && bound !== jkt) throw oauthError.invalidToken("access token is not bound to the DPoP proof key");
      if (!found.claims.scope.split(" ").includes(OPENID)) throw oauthError.insufficientScope("access token lacks the openid scope");
      const user = await ctx.stores.users.findUser(found.subject);
      if (!user || user.locked) throw oauthError.invalidToken("access token is invalid or expired");
      // sub as the token gives it: pairwise for a pairwise client
      return jsonNoStore({
        ...userClaims(user, found.claims.scope.split(" "), await ctx.config.identityResources()),
        sub: found.claims.sub,
      });
    },
    scheme,
  );
}

async function presentedToken(req: Request, scheme: TokenTypeName): Promise<string | undefined> {
  const header = req.headers.get("authorization");
  let fromHeader: string | undefined;
  if (header !== null) {
    fromHeader = (scheme === TokenType.dpop ? dpopTokenOf(header) : bearerTokenOf(header)) ?? undefined;
    if (!fromHeader) throw oauthError.invalidRequest("invalid authorization header value format");
  }
  let fromBody: string | undefined;
  if (req.method === "POST" && (req.headers.get("content-type") ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    fromBody = (await readForm(req)).get("access_token")?.[0];
  }
  if (fromHeader && fromBody) throw oauthError.invalidRequest("access token must only be provided using one method");
  return fromHeader ?? fromBody;
}
