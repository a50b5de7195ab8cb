"use server";

import { adminAction, formText, type ActionResult } from "@/lib/next/admin-action";

export async function rotateKeys(_previous: ActionResult | null, data: FormData): Promise<ActionResult> {
  return adminAction(formText(data, "csrf"), "/admin/keys", async (principal, { keys }) => {
    await keys.rotate(principal);
  });
}
