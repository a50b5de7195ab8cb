/**
 * The body of every console server action: the admin and CSRF check, the service call with the
 * admin's principal, the page to refresh, and service failures turned into results the form
 * shows beside its fields.
 */
import { revalidatePath } from "next/cache";
import type { Principal } from "../admin/access";
import { errorCodeOf, type ValidationError } from "../admin/errors";
import type { Problem } from "../admin/config-transfer";
import { requireAdminAction } from "./admin-session";

export type ActionResult =
  | { ok: true; next?: string; clientId?: string; secret?: string }
  | { ok: false; message: string; fields?: Problem[] };

export async function adminAction(csrf: string, path: string, fn: (principal: Principal) => Promise<ActionResult>): Promise<ActionResult> {
  const principal = await requireAdminAction(csrf);
  try {
    const result = await fn(principal);
    revalidatePath(path);
    return result;
  } catch (err) {
    if (errorCodeOf(err) === "validation_failed") return { ok: false, message: "Some fields need attention.", fields: (err as ValidationError).problems };
    if (errorCodeOf(err) === "not_found") return { ok: false, message: (err as Error).message };
    throw err;
  }
}
