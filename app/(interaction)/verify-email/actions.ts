"use server";

import { redirect } from "next/navigation";
import { getRuntime } from "@/lib/runtime";
import { tokenFormInput } from "@/lib/schemas/lifecycle";
import { LifecyclePages } from "@/lib/lifecycle/paths";
import { formText, lifecycleForm, lifecycleTokenValid } from "@/lib/next/lifecycle";
import { unverifiedUser } from "@/lib/next/login";
import { clientMeta } from "@/lib/next/request";

const to = (q: Record<string, string | undefined>) =>
  redirect(`${LifecyclePages.verifyEmail}?${new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => !!e[1]))}`);

/** The confirmation button (POST: a mail scanner's GET of the link verifies nothing). */
export async function confirmEmail(data: FormData): Promise<void> {
  const parsed = tokenFormInput.safeParse(Object.fromEntries(data));
  const token = parsed.success ? parsed.data.token : undefined;
  const interaction = parsed.success ? parsed.data.interaction : undefined;
  if (!parsed.success || !(await lifecycleTokenValid(lifecycleForm("verify"), parsed.data.csrf)))
    to({ token, interaction, error: "expired" });
  const { lifecycle } = await getRuntime();
  const result = await lifecycle.verifyEmail(token, await clientMeta());
  to({ done: result, interaction });
}

/** "Send the link again" after a sign-in refused for an unconfirmed email (the signed cookie names the user). */
export async function resendLink(data: FormData): Promise<void> {
  const interaction = formText(data, "interaction", 100) || undefined;
  if (!(await lifecycleTokenValid(lifecycleForm("resend"), data.get("csrf")))) to({ resend: "1", interaction, error: "expired" });
  const { lifecycle, provider } = await getRuntime();
  const userId = await unverifiedUser(provider);
  if (!userId) to({ resend: "1", interaction, error: "unknown" });
  const result = await lifecycle.resendVerification(userId!, await clientMeta(), interaction);
  to({ resend: "1", interaction, ...(result === "throttled" ? { error: "throttled" } : { sent: "1" }) });
}
