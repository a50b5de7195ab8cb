/** The console's access check, used by the admin layout AND by every admin server action. */
import { forbidden, redirect } from "next/navigation";
import { adminFromSession } from "../admin/access";
import type { Actor } from "../admin/clients";
import { checkFormToken, formToken } from "../auth/interaction-views";
import { getRuntime } from "../runtime";
import { browserCookies } from "./request";

export const ADMIN_FORM = "admin-console";

/** The signed-in admin; signed-out browsers go to the sign-in page, others get 403. */
export async function requireAdmin(next = "/admin"): Promise<Actor> {
  const { provider } = await getRuntime();
  const { actor, signedIn } = await adminFromSession(provider, (await browserCookies()).session);
  if (!signedIn) redirect(`/account?${new URLSearchParams({ next })}`);
  if (!actor) forbidden();
  return actor;
}

/** For server actions: the admin, after checking the form's CSRF token. */
export async function requireAdminAction(csrf: string): Promise<Actor> {
  const actor = await requireAdmin();
  const { provider } = await getRuntime();
  if (!(await checkFormToken(provider, (await browserCookies()).csrf, ADMIN_FORM, csrf))) throw new Error("the form has expired: reload the page");
  return actor;
}

export async function adminFormToken(): Promise<string> {
  const { provider } = await getRuntime();
  return formToken(provider, (await browserCookies()).csrf, ADMIN_FORM);
}
