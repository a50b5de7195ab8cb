/**
 * The console's access to the admin services: the principal of the browser's session. A page or
 * action gets admin data only by passing this principal to a service, which decides again; this
 * helper decides first, so a page renders nothing protected (not even into a redirect or an
 * error page) for a visitor who is not an admin.
 */
import { forbidden, notFound, redirect } from "next/navigation";
import type { Actor, Principal } from "../admin/access";
import { csrfFailed, errorCodeOf } from "../admin/errors";
import { checkFormToken, formToken } from "../auth/csrf";
import { getRuntime } from "../runtime";
import { browserCookies } from "./request";

export const ADMIN_FORM = "admin-console";

const signIn = (next: string): never => redirect(`/account?${new URLSearchParams({ next })}`);

/**
 * The signed-in admin; a signed-out browser goes to the sign-in page (then back to `next`), a
 * signed-in user without the admin role gets the 403 page. Call it before anything else.
 */
export async function requireAdmin(next = "/admin"): Promise<{ principal: Principal; actor: Actor }> {
  const { admin } = await getRuntime();
  const principal = await admin.access.fromSession((await browserCookies()).session);
  if (!principal) return signIn(next);
  try {
    return { principal, actor: await admin.access.authorize(principal) };
  } catch (err) {
    if (errorCodeOf(err) === "forbidden") forbidden();
    if (errorCodeOf(err) === "unauthenticated") signIn(next);
    throw err;
  }
}

/**
 * The admin the console's frame (app/admin/layout.tsx) greets, or null. The frame decides nothing:
 * a layout does not run on a client-side navigation, so every page calls requireAdmin itself.
 */
export async function consoleViewer(): Promise<Actor | null> {
  const { admin } = await getRuntime();
  return admin.access.authorize(await admin.access.fromSession((await browserCookies()).session)).catch(() => null);
}

/** For server actions: the admin's principal, after checking the form's CSRF token (csrf_failed when stale). */
export async function requireAdminAction(csrf: string): Promise<Principal> {
  const { principal } = await requireAdmin();
  const { provider } = await getRuntime();
  if (!(await checkFormToken(provider, (await browserCookies()).csrf, ADMIN_FORM, csrf)))
    throw csrfFailed("the form has expired: reload the page");
  return principal;
}

export async function adminFormToken(): Promise<string> {
  const { provider } = await getRuntime();
  return formToken(provider, (await browserCookies()).csrf, ADMIN_FORM);
}

/** A dynamic segment of a console URL, decoded; a malformed one (`%E0%A4%A`) is a 404. */
export function pathParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return notFound();
  }
}

type QueryValue = string | string[] | undefined;

/** One query parameter as text: the first when repeated, at most 200 characters. */
export function textParam(v: QueryValue): string | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  return s ? s.slice(0, 200) : undefined;
}

/** A page number from the query: digits only, else page 1 (the services clamp it to the last page). */
export function pageParam(v: QueryValue): number {
  const s = textParam(v);
  return s && /^\d{1,7}$/.test(s) ? Math.max(1, Number(s)) : 1;
}

/** A service's answer, with its not_found turned into the 404 page. */
export async function orNotFound<T>(found: Promise<T>): Promise<T> {
  try {
    return await found;
  } catch (err) {
    if (errorCodeOf(err) === "not_found") notFound();
    throw err;
  }
}
