"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { logoutInput } from "@/lib/schemas/interaction";
import { getRuntime } from "@/lib/runtime";
import { checkFormToken } from "@/lib/auth/csrf";
import { completeLogout } from "@/lib/oidc";
import { browserCookies } from "@/lib/next/request";
import { Cookies } from "@/lib/oidc";
import { errorPageUrl } from "@/lib/oidc";

export async function logout(data: FormData): Promise<void> {
  const parsed = logoutInput.safeParse(Object.fromEntries(data));
  const { provider } = await getRuntime();
  const browser = await browserCookies();
  if (!parsed.success || !(await checkFormToken(provider, browser.csrf, `logout:${parsed.data.interaction}`, parsed.data.csrf))) {
    redirect(await errorPageUrl(provider, "invalid_request", "the sign-out form has expired: try again"));
  }
  const location = await completeLogout(provider, parsed.data!.interaction, browser.session);
  (await cookies()).delete(Cookies.session);
  redirect(location);
}
