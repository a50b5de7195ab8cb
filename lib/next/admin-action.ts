/**
 * The body of every console server action: the admin and the form's CSRF token checked, the
 * service call with the admin's principal, the page to refresh, and admin errors turned into
 * the message and field errors the form shows (the same codes the REST API answers with its
 * statuses, see lib/admin/errors.ts).
 */
import { revalidatePath } from "next/cache";
import type { Admin } from "../admin";
import type { Principal } from "../admin/access";
import { adminErrorOf, type AdminErrorCode, type Problem } from "../admin/errors";
import { getRuntime } from "../runtime";
import { requireAdminAction } from "./admin-session";

/** What a console form gets back from its action. */
export type ActionResult = { ok: true; next?: string; secret?: string } | { ok: false; message: string; fields?: Problem[] };

/** What an action's body may return: where the browser goes next, a secret to show once. */
type Done = void | { next?: string; secret?: string };

/** The console's words for each admin error; null shows the error's own message ("client app not found"). */
export const CONSOLE_MESSAGES: Record<AdminErrorCode, string | null> = {
  validation_failed: "Some fields need attention.",
  not_found: null,
  csrf_failed: "This form has expired. Reload the page and try again.",
  unauthenticated: "Your session has ended. Sign in again and retry.",
  forbidden: "You are no longer allowed to administer Portcullis.",
  payload_too_large: "This form is too large to send.",
  unsupported_media_type: "This form could not be read.",
};

/** The form's answer to a failure, or null for one that is not an admin error (rethrown). */
export function actionFailure(err: unknown): ActionResult | null {
  const e = adminErrorOf(err);
  if (!e) return null;
  return { ok: false, message: CONSOLE_MESSAGES[e.code] ?? e.message, ...(e.code === "validation_failed" ? { fields: e.problems } : {}) };
}

export async function adminAction(
  csrf: string,
  refresh: string,
  fn: (principal: Principal, admin: Admin) => Promise<Done>,
): Promise<ActionResult> {
  try {
    const principal = await requireAdminAction(csrf);
    const done = await fn(principal, (await getRuntime()).admin);
    revalidatePath(refresh);
    return { ok: true, ...done };
  } catch (err) {
    const failure = actionFailure(err);
    if (failure) return failure;
    throw err;
  }
}

/** A field of a plain form (the commands that work without the form library). */
export const formText = (data: FormData, name: string) => String(data.get(name) ?? "");
