"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { loginInput } from "@/lib/schemas/interaction";
import { getRuntime } from "@/lib/runtime";
import { signInWithPassword } from "@/lib/auth/login";
import { checkFormToken, loginView, resumeUrl } from "@/lib/auth/interaction-views";
import { sessionCookieOptions } from "@/lib/oidc/session";
import { browserCookies, clientMeta, fieldErrorsOf } from "@/lib/next/request";
import type { LoginState } from "./state";

export async function login(_prev: LoginState, data: FormData): Promise<LoginState> {
  const parsed = loginInput.safeParse(Object.fromEntries(data));
  const values = { login: String(data.get("login") ?? "").slice(0, 254) };
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error.issues), values };
  const { interaction, csrf, login: loginName, password } = parsed.data;
  const { provider, accounts } = await getRuntime();
  const browser = await browserCookies();
  if (!(await checkFormToken(provider, browser.csrf, `login:${interaction}`, csrf))) {
    return { formError: "This form has expired. Reload the page and try again.", values };
  }
  if (!(await loginView(provider, interaction))) {
    return { formError: "This sign-in request has expired. Go back to the application and start again.", values };
  }
  const result = await signInWithPassword(provider, accounts, { login: loginName, password, previousHandle: browser.session, ...(await clientMeta()) });
  if (!result.ok) return { formError: result.message, values };
  const { name, ...options } = sessionCookieOptions(provider);
  (await cookies()).set(name, result.handle, options);
  redirect(resumeUrl(provider, interaction));
}
