"use server";

import { redirect } from "next/navigation";
import { getRuntime } from "@/lib/runtime";
import { loginView, resumeUrl } from "@/lib/oidc";
import { errorCode, submitLogin } from "@/lib/next/login";
import { Pages } from "@/lib/oidc";

export async function login(data: FormData): Promise<void> {
  const interaction = String(data.get("interaction") ?? "").slice(0, 100);
  const { provider } = await getRuntime();
  const failure = await submitLogin(data, `login:${interaction}`, async () => Boolean(await loginView(provider, interaction)));
  if (failure) redirect(`${Pages.login}?${new URLSearchParams({ interaction, error: errorCode(failure) })}`);
  redirect(resumeUrl(provider, interaction));
}
