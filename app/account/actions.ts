"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { logoutInput } from "@/lib/schemas/interaction";
import { getRuntime } from "@/lib/runtime";
import { checkFormToken } from "@/lib/auth/csrf";
import { signOut } from "@/lib/account/service";
import { Cookies, Pages } from "@/lib/oidc";
import { browserCookies } from "@/lib/next/request";
import { errorCode, submitLogin } from "@/lib/next/login";

/** Only local paths: `next` must never send the browser elsewhere. */
function localPath(next: FormDataEntryValue | null): string {
  const v = typeof next === "string" ? next : "";
  return /^\/(?![/\\])[\w\-./?=&%]*$/.test(v) ? v : "/account";
}

export async function accountLogin(data: FormData): Promise<void> {
  const next = localPath(data.get("next"));
  const failure = await submitLogin(data, "login:account", async () => true);
  if (failure) redirect(`/account?${new URLSearchParams({ error: errorCode(failure), next })}`);
  redirect(next);
}

export async function accountLogout(data: FormData): Promise<void> {
  const parsed = logoutInput.safeParse(Object.fromEntries(data));
  const { provider } = await getRuntime();
  const browser = await browserCookies();
  if (!parsed.success || !(await checkFormToken(provider, browser.csrf, "logout:account", parsed.data.csrf))) redirect("/account");
  await signOut(provider, browser.session);
  (await cookies()).delete(Cookies.session);
  redirect(Pages.signedOut);
}
