/**
 * Front-Channel Logout 1.0: after a logout in the browser, a page loads each client's
 * frontchannel_logout_uri in a hidden iframe, then continues to where the logout goes.
 *
 * Rules:
 * - the clients are those the ended session signed in to, enabled, with a frontchannel_logout_uri;
 * - iss and sid are added to the URL's query when the client registered
 *   frontchannel_logout_session_required (section 2); sid is the session id, never the cookie's;
 * - without such a client the browser goes straight on (no extra page);
 * - the page is a protocol response with its own CSP: frame-src exactly the frames' origins, one
 *   inline script pinned by hash that continues once every frame loaded (the window's load event)
 *   or after FRAME_WAIT_MS at most; a link continues without script;
 * - the frame list is stored as an interaction under a random id and used once.
 * @see https://openid.net/specs/openid-connect-frontchannel-1_0.html
 */
import { escapeHtml, redirect, scriptHash } from "../authorization-response";
import { Pages, Paths } from "../constants";
import type { ProviderContext } from "../context";
import { loadInteraction, removeInteraction, saveInteraction } from "../interaction/store";
import type { SessionRecord } from "../ports";

/** ms the page waits for slow frames before it continues anyway */
export const FRAME_WAIT_MS = 3000;
const CONTINUE_SCRIPT =
  `(function(){var go=function(){location.replace(document.getElementById("next").href)};` +
  `window.addEventListener("load",go);setTimeout(go,${FRAME_WAIT_MS})})()`;

/** The iframe URLs for the clients of an ended session. */
export async function frontchannelFrames(ctx: ProviderContext, session: Pick<SessionRecord, "id" | "clients">): Promise<string[]> {
  const frames: string[] = [];
  for (const clientId of session.clients) {
    const client = await ctx.config.client(clientId);
    if (!client?.enabled || !client.frontchannelLogoutUri) continue;
    const url = new URL(client.frontchannelLogoutUri);
    if (client.frontchannelLogoutSessionRequired) {
      url.searchParams.set("iss", ctx.settings.issuer);
      url.searchParams.set("sid", session.id);
    }
    frames.push(url.toString());
  }
  return frames;
}

/** Where the browser goes after a logout: the frames page first when a client wants one. */
export async function afterLogout(
  ctx: ProviderContext,
  session: Pick<SessionRecord, "id" | "clients"> | null,
  next: string,
): Promise<string> {
  const frames = session ? await frontchannelFrames(ctx, session) : [];
  if (!frames.length) return next;
  const id = await saveInteraction(ctx, { type: "frontchannel", frames, next, createdAt: ctx.now() });
  return `${ctx.settings.issuer}${Paths.frontchannelLogout}?id=${encodeURIComponent(id)}`;
}

/** GET /connect/endsession/frontchannel?id=...: the frames page. */
export async function frontchannelLogout(req: Request, ctx: ProviderContext): Promise<Response> {
  const id = new URL(req.url).searchParams.get("id") ?? undefined;
  const found = await loadInteraction(ctx, id);
  if (found?.type !== "frontchannel" || !id) return redirect(ctx.settings.issuer + Pages.signedOut);
  await removeInteraction(ctx, id);
  const origins = [...new Set(found.frames.map((f) => new URL(f).origin))];
  const frames = found.frames.map((f) => `<iframe src="${escapeHtml(f)}" title="sign-out" hidden width="0" height="0"></iframe>`).join("");
  const html =
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Signing out</title></head><body>` +
    `<p>Signing you out of your applications…</p>${frames}` +
    `<p><a id="next" href="${escapeHtml(found.next)}">Continue</a></p>` +
    `<script>${CONTINUE_SCRIPT}</script></body></html>`;
  const csp = [
    "default-src 'none'",
    `frame-src ${origins.join(" ")}`,
    `script-src 'sha256-${await scriptHash(CONTINUE_SCRIPT)}'`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
  return new Response(html, {
    status: 200,
    headers: { "Content-Type": "text/html;charset=utf-8", "Cache-Control": "no-store", "Content-Security-Policy": csp },
  });
}
