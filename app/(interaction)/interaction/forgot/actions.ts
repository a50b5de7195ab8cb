"use server";

import { redirect } from "next/navigation";
import { getRuntime } from "@/lib/runtime";
import { forgotInput } from "@/lib/schemas/lifecycle";
import { LifecyclePages } from "@/lib/lifecycle/paths";
import { formText, lifecycleForm, lifecycleTokenValid } from "@/lib/next/lifecycle";
import { clientMeta } from "@/lib/next/request";

/** Always the same answer (?sent=1) for a known or unknown name: the work runs off the response path. */
export async function requestReset(data: FormData): Promise<void> {
  const interaction = formText(data, "interaction", 100) || undefined;
  const back = (q: Record<string, string>) =>
    redirect(`${LifecyclePages.forgot}?${new URLSearchParams({ ...q, ...(interaction ? { interaction } : {}) })}`);
  if (!(await lifecycleTokenValid(lifecycleForm("forgot", interaction), data.get("csrf")))) back({ error: "expired" });
  const parsed = forgotInput.safeParse(Object.fromEntries(data));
  if (!parsed.success) back({ error: "fields" });
  const { lifecycle } = await getRuntime();
  const result = await lifecycle.requestPasswordReset(parsed.data!.login, await clientMeta());
  back(result === "throttled" ? { error: "throttled" } : { sent: "1" });
}
