/**
 * RP-Initiated Logout 1.0.
 *
 * Rules:
 * - id_token_hint, when given, must be an ID token issued here to an existing client, never an
 *   access token (tokens/id-token-hint.ts; expired ones are accepted);
 * - client_id, when given with a hint, must be the hint's audience;
 * - post_logout_redirect_uri needs a client (client_id or hint) and must be registered for it
 *   exactly; otherwise the error page shows and nothing redirects;
 * - a valid hint for the current session (or no session) logs out at once; without one the user
 *   confirms on the logout page first;
 * - logging out revokes the session (every instance refuses it at once) and clears the cookie;
 *   the browser then goes to post_logout_redirect_uri (with state) or the signed-out page, through
 *   the front-channel logout page first when a client of the session registered one
 *   (logout/frontchannel.ts); clients with a backchannel_logout_uri get a logout token from the
 *   outbox the store wrote with the revocation (lib/server/logout-delivery.ts).
 */
import { subjectFor } from "./subject";
import { redirect } from "./authorization-response";
import { Pages } from "./constants";
import type { ProviderContext } from "./context";
import { oauthError } from "./errors";
import { loadInteraction, removeInteraction, saveInteraction, type LogoutInteraction } from "./interaction/store";
import { clearSessionCookie, endBrowserSession, sessionFromHandle } from "./session";
import type { ActiveSession } from "./session";
import { verifyIdTokenHint, type IdTokenHint } from "./checks/id-token-hint";
import { afterLogout } from "./logout/frontchannel";

export interface LogoutRequest {
  idTokenHint?: string;
  clientId?: string;
  postLogoutRedirectUri?: string;
  state?: string;
}

/** Validates the request; returns where to go after logout and what the hint says. */
export async function validateLogout(ctx: ProviderContext, r: LogoutRequest): Promise<{ target: LogoutInteraction; hint?: IdTokenHint }> {
  let hint: IdTokenHint | undefined;
  if (r.idTokenHint) {
    hint = (await verifyIdTokenHint(ctx, r.idTokenHint)) ?? undefined;
    if (!hint) throw oauthError.invalidRequest("id_token_hint is not a valid ID token issued here");
  }
  if (r.clientId && hint && r.clientId !== hint.clientId)
    throw oauthError.invalidRequest("client_id does not match the id_token_hint audience");
  const clientId = r.clientId ?? hint?.clientId;
  if (r.postLogoutRedirectUri) {
    if (!clientId) throw oauthError.invalidRequest("post_logout_redirect_uri needs client_id or id_token_hint");
    const client = await ctx.config.client(clientId);
    if (!client?.enabled || !client.postLogoutRedirectUris.includes(r.postLogoutRedirectUri)) {
      throw oauthError.invalidRequest("post_logout_redirect_uri is not registered for this client");
    }
  }
  return {
    target: { type: "logout", clientId, postLogoutRedirectUri: r.postLogoutRedirectUri, state: r.state, createdAt: ctx.now() },
    hint,
  };
}

/** Ends the session at the end-session endpoint and sends the browser on. */
async function finishLogout(ctx: ProviderContext, active: ActiveSession | null, target: LogoutInteraction): Promise<Response> {
  await endBrowserSession(ctx, active, { clientId: target.clientId, from: "end_session" });
  const next = await afterLogout(ctx, active?.session ?? null, logoutDestination(ctx, target));
  return redirect(next, { "Set-Cookie": clearSessionCookie(ctx) });
}

export function logoutDestination(ctx: ProviderContext, target: LogoutInteraction): string {
  if (!target.postLogoutRedirectUri) return ctx.settings.issuer + Pages.signedOut;
  const url = new URL(target.postLogoutRedirectUri);
  if (target.state) url.searchParams.append("state", target.state);
  return url.toString();
}

/** Decides between logging out now and asking the user to confirm. */
export async function startLogout(ctx: ProviderContext, active: ActiveSession | null, r: LogoutRequest): Promise<Response> {
  const { target, hint } = await validateLogout(ctx, r);
  const hintClient = hint && (await ctx.config.client(hint.clientId));
  const matches =
    hint && (!active || active.session.id === hint.sid || (hintClient && (await subjectFor(ctx, hintClient, active.user.id)) === hint.sub));
  if (!active || matches) return finishLogout(ctx, active, target);
  const id = await saveInteraction(ctx, target);
  return redirect(`${ctx.settings.issuer}${Pages.logout}?interaction=${encodeURIComponent(id)}`);
}

/** The logout page's confirmation: the session of the browser that confirms ends; returns where it goes next. */
export async function confirmLogout(ctx: ProviderContext, interactionId: string, sessionHandle: string | undefined): Promise<string> {
  const interaction = await loadInteraction(ctx, interactionId);
  const target: LogoutInteraction = interaction?.type === "logout" ? interaction : { type: "logout", createdAt: ctx.now() };
  if (interaction) await removeInteraction(ctx, interactionId);
  const active = await sessionFromHandle(ctx, sessionHandle);
  await endBrowserSession(ctx, active, { clientId: target.clientId, from: "logout_page" });
  return afterLogout(ctx, active?.session ?? null, logoutDestination(ctx, target));
}
