"use server";

import { adminAction, formText, type ActionResult } from "@/lib/next/admin-action";

const REGISTRATION = "/admin/registration";

/** The form's fields as the API's input: empty fields are left out, numbers and dates parsed. */
export async function issueInitialAccessToken(
  csrf: string,
  values: { description: string; expires_at: string; max_uses: string },
): Promise<ActionResult> {
  return adminAction(csrf, REGISTRATION, async (principal, { registration }) => {
    const { initial_access_token } = await registration.issue(principal, {
      ...(values.description ? { description: values.description } : {}),
      // A datetime-local value is the administrator's local time, sent as UTC by the form.
      ...(values.expires_at ? { expires_at: values.expires_at } : {}),
      ...(values.max_uses ? { max_uses: Number(values.max_uses) } : {}),
    });
    return { secret: initial_access_token };
  });
}

export async function revokeInitialAccessToken(_previous: ActionResult | null, data: FormData): Promise<ActionResult> {
  return adminAction(formText(data, "csrf"), REGISTRATION, async (principal, { registration }) => {
    await registration.revoke(principal, formText(data, "id"));
  });
}
