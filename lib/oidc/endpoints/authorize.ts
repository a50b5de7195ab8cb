/**
 * The authorization endpoint (RFC 6749 3.1, OpenID Connect Core 3.1.2) and its resumption after
 * the login and consent pages.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthorizationEndpoint
 */
import { isPageError, isRedirectError, validateAuthorizeRequest } from "../checks/authorize-request";
import { ErrorCode } from "../constants";
import { errorPage } from "../error-page";
import type { ProviderContext } from "../context";
import { isOAuthError, toOAuthError } from "../errors";
import { readQueryOrForm } from "../http";
import { pushedRequestForm } from "./par";
import { requestObjectForm } from "../checks/request-object";
import { authorizeErrorResponse, loadAuthorizeInteraction, resumeInteraction, startInteraction } from "../interaction";

export async function authorize(req: Request, ctx: ProviderContext): Promise<Response> {
  try {
    const raw = await readQueryOrForm(req, ["resource"]);
    const pushed = raw.has("request_uri");
    const form = pushed ? await pushedRequestForm(ctx, raw) : await requestObjectForm(ctx, raw);
    const { request, client } = await validateAuthorizeRequest(ctx, form, { pushed });
    return await startInteraction(ctx, req, client, request);
  } catch (err) {
    return authorizeFailure(ctx, err);
  }
}

/** GET /connect/authorize/resume?interaction=ID: where the login and consent pages send the browser. */
export async function resumeAuthorize(req: Request, ctx: ProviderContext): Promise<Response> {
  try {
    const id = new URL(req.url).searchParams.get("interaction") ?? undefined;
    const interaction = await loadAuthorizeInteraction(ctx, id);
    if (!interaction || !id)
      return errorPage(ctx, ErrorCode.invalidRequest, "the sign-in request has expired or is unknown: start again from the application");
    const client = await ctx.config.client(interaction.request.clientId);
    if (!client || !client.enabled) return errorPage(ctx, ErrorCode.invalidClient, "unknown or disabled client");
    return await resumeInteraction(ctx, req, client, interaction, id);
  } catch (err) {
    return authorizeFailure(ctx, err);
  }
}

function authorizeFailure(ctx: ProviderContext, err: unknown): Promise<Response> {
  if (isPageError(err)) return errorPage(ctx, err.error, err.description);
  if (isRedirectError(err)) return authorizeErrorResponse(ctx, err.target, err.cause);
  if (isOAuthError(err)) return errorPage(ctx, err.error, err.description);
  const unexpected = toOAuthError(err);
  ctx.log.error("authorization failed", { detail: unexpected.detail });
  return errorPage(ctx, unexpected.error, unexpected.description);
}
