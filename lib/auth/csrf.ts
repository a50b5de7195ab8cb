/**
 * CSRF tokens for the portal's forms: sign-in, consent, logout, account, console, admin API.
 *
 * Rules:
 * - proxy.ts gives every browser a random HttpOnly SameSite=Strict cookie; a form carries an
 *   HMAC of that cookie and the form's purpose under the server secret, so a page on another site
 *   can neither read nor forge it;
 * - the purpose binds a token to one form (and one interaction): a token of one form cannot post
 *   another;
 * - tokens are compared in constant time; a browser without the cookie gets an empty token, and
 *   every check then fails.
 */
import type { ProviderContext } from "../oidc";
import { timingSafeEqual } from "../oidc";

const tokenFor = (ctx: ProviderContext, cookie: string, purpose: string) => ctx.sign(`${cookie}:${purpose}`);

/** The token a page's form carries: empty when the browser has no CSRF cookie. */
export async function formToken(ctx: ProviderContext, csrfCookie: string | undefined, purpose: string): Promise<string> {
  return csrfCookie ? tokenFor(ctx, csrfCookie, purpose) : "";
}

export async function checkFormToken(
  ctx: ProviderContext,
  csrfCookie: string | undefined,
  purpose: string,
  presented: string,
): Promise<boolean> {
  if (!csrfCookie || !presented) return false;
  return timingSafeEqual(await tokenFor(ctx, csrfCookie, purpose), presented);
}
