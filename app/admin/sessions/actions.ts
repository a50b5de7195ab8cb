"use server";

import { adminAction, formText, type ActionResult } from "@/lib/next/admin-action";

export async function revokeSession(_previous: ActionResult | null, data: FormData): Promise<ActionResult> {
  return adminAction(formText(data, "csrf"), "/admin/sessions", (principal, { directory }) =>
    directory.sessions.revoke(principal, formText(data, "session")),
  );
}
