/** The Next side the lifecycle pages share: the settings, the interaction, the form's CSRF check. */
import { cookies } from "next/headers";
import { checkFormToken, formToken } from "../auth/csrf";
import { loginView, sessionCookieOptions } from "../oidc";
import { getRuntime } from "../runtime";
import { browserCookies } from "./request";

/** One CSRF purpose per lifecycle form (and interaction, when there is one). */
export const lifecycleForm = (form: "signup" | "forgot" | "verify" | "resend" | "reset", interaction?: string) =>
  `${form}:${interaction ?? ""}`;

export async function lifecycleToken(purpose: string): Promise<string> {
  const { provider } = await getRuntime();
  return formToken(provider, (await browserCookies()).csrf, purpose);
}

export async function lifecycleTokenValid(purpose: string, presented: unknown): Promise<boolean> {
  const { provider } = await getRuntime();
  return checkFormToken(provider, (await browserCookies()).csrf, purpose, typeof presented === "string" ? presented.slice(0, 200) : "");
}

/** The authorization request's login view when `interaction` names a live one; undefined: none given. */
export async function interactionOf(interaction: string | undefined) {
  if (!interaction) return undefined;
  const { provider } = await getRuntime();
  return loginView(provider, interaction.slice(0, 100));
}

export async function setSessionCookie(handle: string): Promise<void> {
  const { provider } = await getRuntime();
  const { name, ...options } = sessionCookieOptions(provider);
  (await cookies()).set(name, handle, options);
}

/** A one-line query value from a form (bounded). */
export const formText = (data: FormData, key: string, max = 254) => String(data.get(key) ?? "").slice(0, max);
