/**
 * Links to the portal's error page.
 *
 * Rules:
 * - the page shows a fixed text for each error code it knows, and a neutral text for any other;
 * - the description (a developer's detail, e.g. "redirect_uri did not match ...") is shown only
 *   when the link carries our HMAC over code and description, so a crafted URL cannot make the
 *   page say "Your account is suspended. Call ...".
 */
import { ErrorCode, Pages } from "./constants";
import type { ProviderContext } from "./context";
import { errorDescription } from "./errors";
import { timingSafeEqual } from "./crypto";
import { redirect } from "./authorization-response";

const PURPOSE = "error-page";

/** Plain words for the codes the error page may be sent. */
export const ERROR_PAGE_TEXT: Readonly<Record<string, string>> = {
  [ErrorCode.invalidRequest]: "The application sent a sign-in request that is not valid.",
  [ErrorCode.invalidClient]: "The application is not registered here, or it has been disabled.",
  [ErrorCode.unauthorizedClient]: "The application is not allowed to make this request.",
  [ErrorCode.accessDenied]: "Access was denied.",
  [ErrorCode.invalidScope]: "The application asked for permissions it may not have.",
  [ErrorCode.invalidTarget]: "The application asked for an API it may not use.",
  [ErrorCode.unsupportedResponseType]: "The application asked for a kind of response this server does not give.",
  [ErrorCode.invalidRequestObject]: "The application sent a signed request that could not be verified.",
  [ErrorCode.requestNotSupported]: "The application sent a request object, which this server does not accept.",
  [ErrorCode.requestUriNotSupported]: "The application sent a request URI, which this server does not accept.",
  [ErrorCode.invalidRequestUri]: "This sign-in link has expired or was already used. Go back to the application and start again.",
  [ErrorCode.serverError]: "Something went wrong on our side.",
};

const signature = (ctx: ProviderContext, error: string, description: string) => ctx.sign(`${PURPOSE}\n${error}\n${description}`);

/** The error page's URL for this error, its description signed. */
export async function errorPageUrl(ctx: ProviderContext, error: string, description: string): Promise<string> {
  const safe = errorDescription(description);
  const q = new URLSearchParams({ error, error_description: safe, sig: await signature(ctx, error, safe) });
  return `${ctx.settings.issuer}${Pages.error}?${q}`;
}

/** A 303 to the error page. */
export async function errorPage(ctx: ProviderContext, error: string, description: string): Promise<Response> {
  return redirect(await errorPageUrl(ctx, error, description));
}

export interface ErrorPageView {
  code: string | null;
  text: string;
  description: string | null;
}

/** What the error page may show of the parameters it was opened with. */
export async function readErrorPage(
  ctx: ProviderContext,
  params: { error?: string; error_description?: string; sig?: string },
): Promise<ErrorPageView> {
  const known = typeof params.error === "string" && Object.hasOwn(ERROR_PAGE_TEXT, params.error) ? params.error : null;
  const text = known ? ERROR_PAGE_TEXT[known]! : "The request could not be processed.";
  let description: string | null = null;
  if (known && typeof params.error_description === "string" && typeof params.sig === "string" && params.error_description.length <= 300) {
    if (timingSafeEqual(await signature(ctx, known, params.error_description), params.sig)) description = params.error_description;
  }
  return { code: known, text, description };
}
