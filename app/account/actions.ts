"use server";

import { cookies } from "next/headers";
import type { z } from "zod";
import { redirect } from "next/navigation";
import { logoutInput } from "@/lib/schemas/interaction";
import { getRuntime } from "@/lib/runtime";
import { checkFormToken } from "@/lib/auth/csrf";
import { endMyOtherSessions, endMySession, revokeMyApp, signOut, unlinkMyLogin } from "@/lib/account/service";
import { accountFormInput, endSessionInput, revokeAppInput, unlinkInput, type AccountNotice } from "@/lib/schemas/account";
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

/** One CSRF purpose for the account area's own forms (sessions, apps, linked logins). */
const SESSIONS_FORM = "sessions:account";

/** A form of the account area: its CSRF token checked, or back to the page saying it expired. */
async function accountForm<T extends { csrf: string }>(schema: z.ZodType<T>, data: FormData) {
  const parsed = schema.safeParse(Object.fromEntries(data));
  const runtime = await getRuntime();
  const browser = await browserCookies();
  if (!parsed.success || !(await checkFormToken(runtime.provider, browser.csrf, SESSIONS_FORM, parsed.data.csrf))) notice("expired_form");
  return { input: parsed.data, runtime, browser };
}

function notice(code: AccountNotice): never {
  redirect(`/account?${new URLSearchParams({ notice: code })}`);
}

export async function accountEndSession(data: FormData): Promise<void> {
  const { input, runtime, browser } = await accountForm(endSessionInput, data);
  const result = await endMySession(runtime.provider, runtime.account, browser.session, input.session);
  notice(result === "ended" ? "session_ended" : "session_not_found");
}

export async function accountEndOtherSessions(data: FormData): Promise<void> {
  const { runtime, browser } = await accountForm(accountFormInput, data);
  await endMyOtherSessions(runtime.provider, runtime.account, browser.session);
  notice("others_ended");
}

export async function accountRevokeApp(data: FormData): Promise<void> {
  const { input, runtime, browser } = await accountForm(revokeAppInput, data);
  const result = await revokeMyApp(runtime.provider, runtime.account, browser.session, input.client);
  notice(result === "revoked" ? "app_revoked" : "app_not_found");
}

export async function accountUnlink(data: FormData): Promise<void> {
  const { input, runtime, browser } = await accountForm(unlinkInput, data);
  const result = await unlinkMyLogin(runtime.provider, runtime.account, browser.session, input.link);
  notice(result === "unlinked" ? "unlinked" : result === "last_login" ? "last_login" : "link_not_found");
}
