import type { ProviderContext } from "../context";
import { isOAuthError, toOAuthError } from "../errors";
import { param, readQueryOrForm } from "../http";
import { startLogout } from "../logout";
import { currentSession } from "../session";
import { errorPage } from "../error-page";

/**
 * The end_session_endpoint (RP-Initiated Logout 1.0 section 2), GET or POST.
 * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RPLogout
 */
export async function endSession(req: Request, ctx: ProviderContext): Promise<Response> {
  try {
    const form = await readQueryOrForm(req);
    return await startLogout(ctx, await currentSession(ctx, req), {
      idTokenHint: param(form, "id_token_hint"),
      clientId: param(form, "client_id"),
      postLogoutRedirectUri: param(form, "post_logout_redirect_uri"),
      state: param(form, "state"),
    });
  } catch (err) {
    const e = isOAuthError(err) ? err : toOAuthError(err);
    if (!isOAuthError(err)) ctx.log.error("end session failed", { detail: e.detail });
    return errorPage(ctx, e.error, e.description);
  }
}
