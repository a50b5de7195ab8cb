/**
 * The body of every console server action: the admin and CSRF check, the service call, the
 * page to refresh, and service failures turned into results the form shows beside its fields.
 */
import { revalidatePath } from "next/cache";
import { errorCodeOf, type Actor, type ValidationError } from "../admin/clients";
import type { Problem } from "../admin/config-transfer";
import { requireAdminAction } from "./admin-session";

export type ActionResult =
  | { ok: true; next?: string; clientId?: string; secret?: string }
  | { ok: false; message: string; fields?: Problem[] };

export async function adminAction(csrf: string, path: string, fn: (actor: Actor) => Promise<ActionResult>): Promise<ActionResult> {
  const actor = await requireAdminAction(csrf);
  try {
    const result = await fn(actor);
    revalidatePath(path);
    return result;
  } catch (err) {
    if (errorCodeOf(err) === "validation_failed") return { ok: false, message: "Some fields need attention.", fields: (err as ValidationError).problems };
    if (errorCodeOf(err) === "not_found") return { ok: false, message: (err as Error).message };
    throw err;
  }
}
