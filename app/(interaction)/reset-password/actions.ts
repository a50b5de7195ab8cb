"use server";

import { redirect } from "next/navigation";
import { getRuntime } from "@/lib/runtime";
import { resetInput } from "@/lib/schemas/lifecycle";
import { LifecyclePages } from "@/lib/lifecycle/paths";
import { formText, lifecycleForm, lifecycleTokenValid } from "@/lib/next/lifecycle";
import { browserCookies, clientMeta } from "@/lib/next/request";
import { sessionFromHandle } from "@/lib/oidc";

/** Errors travel back as codes (the page words them); the token stays in the form, never in a log line. */
export async function resetPassword(data: FormData): Promise<void> {
  const token = formText(data, "token", 100);
  const back = (q: Record<string, string>) => redirect(`${LifecyclePages.resetPassword}?${new URLSearchParams({ token, ...q })}`);
  if (!(await lifecycleTokenValid(lifecycleForm("reset"), data.get("csrf")))) back({ error: "expired" });
  const parsed = resetInput.safeParse(Object.fromEntries(data));
  if (!parsed.success) back({ error: "password_empty" });
  if (parsed.data!.password !== parsed.data!.confirm) back({ error: "mismatch" });
  const { lifecycle, provider } = await getRuntime();
  // A link for another account than the one signed in here: refused, nothing changed.
  const target = await lifecycle.resetOf(token);
  const active = await sessionFromHandle(provider, (await browserCookies()).session);
  if (target && active && active.user.id !== target.userId) back({ error: "other_user" });
  const result = await lifecycle.resetPassword(token, parsed.data!.password, await clientMeta());
  if (result.kind === "password") back({ error: result.problem });
  if (result.kind === "invalid") redirect(`${LifecyclePages.resetPassword}?invalid=1`);
  redirect(`${LifecyclePages.resetPassword}?done=1`);
}
