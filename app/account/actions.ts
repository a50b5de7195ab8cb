"use server";

import { cookies } from "next/headers";
import type { z } from "zod";
import { redirect } from "next/navigation";
import { logoutInput } from "@/lib/schemas/interaction";
import { getRuntime } from "@/lib/runtime";
import { checkFormToken } from "@/lib/auth/csrf";
import {
  changeMyPassword,
  endMyOtherSessions,
  endMySession,
  reauthenticateWithPassword,
  revokeMyApp,
  safeNext,
  setMyPassword,
  signOut,
  unlinkMyLogin,
  updateMyProfile,
} from "@/lib/account/service";
import {
  accountFormInput,
  changePasswordInput,
  endSessionInput,
  fieldErrorCode,
  reauthInput,
  revokeAppInput,
  setPasswordInput,
  unlinkInput,
  type AccountNotice,
  type FieldErrorCode,
} from "@/lib/schemas/account";
import { Cookies, saveInteraction } from "@/lib/oidc";
import { changeMyEmail } from "@/lib/account/email";
import { emailChangeInput } from "@/lib/schemas/lifecycle";
import { externalSignInUrl } from "@/lib/auth/external";
import { browserCookies, clientMeta } from "@/lib/next/request";
import { SECOND_FACTOR, errorCode, secondFactorUrl, submitLogin } from "@/lib/next/login";

export async function accountLogin(data: FormData): Promise<void> {
  const next = safeNext(data.get("next"));
  const failure = await submitLogin(data, "login:account", async () => true);
  if (failure === SECOND_FACTOR) redirect(secondFactorUrl({ next }));
  if (failure) redirect(`${next.split("?")[0]}?${new URLSearchParams({ error: errorCode(failure), next })}`);
  redirect(next);
}

export async function accountLogout(data: FormData): Promise<void> {
  const parsed = logoutInput.safeParse(Object.fromEntries(data));
  const { provider } = await getRuntime();
  const browser = await browserCookies();
  if (!parsed.success || !(await checkFormToken(provider, browser.csrf, "logout:account", parsed.data.csrf))) redirect("/account");
  const next = await signOut(provider, browser.session);
  (await cookies()).delete(Cookies.session);
  redirect(next);
}

/** One CSRF purpose for the account area's own forms. */
const ACCOUNT_FORM = "sessions:account";

/** A form of the account area: its CSRF token checked, or back to `page` saying it expired. */
async function accountForm<T extends { csrf: string }>(schema: z.ZodType<T>, data: FormData, page: string) {
  const raw = Object.fromEntries(data);
  const parsed = schema.safeParse(raw);
  const runtime = await getRuntime();
  const browser = await browserCookies();
  const csrf = typeof raw.csrf === "string" ? raw.csrf.slice(0, 200) : "";
  if (!(await checkFormToken(runtime.provider, browser.csrf, ACCOUNT_FORM, csrf))) notice(page, "expired_form");
  return { parsed, raw, runtime, browser };
}

function notice(page: string, code: AccountNotice, extra: Record<string, string> = {}): never {
  redirect(`${page}?${new URLSearchParams({ notice: code, ...extra })}`);
}

/** To the re-authentication page, then back to `page`. */
function reauth(page: string): never {
  redirect(`/account/reauth?${new URLSearchParams({ next: page })}`);
}

const errorsParam = (errors: Record<string, FieldErrorCode>) =>
  Object.entries(errors)
    .map(([f, c]) => `${f}:${c}`)
    .join(",");

function issues(error: z.ZodError): Record<string, FieldErrorCode> {
  const out: Record<string, FieldErrorCode> = {};
  for (const i of error.issues) {
    const field = String(i.path[0] ?? "form");
    out[field] ??= fieldErrorCode(i.message) ?? "too_long_name";
  }
  return out;
}

// ---- sessions, apps, links ----

export async function accountEndSession(data: FormData): Promise<void> {
  const page = "/account/sessions";
  const { parsed, runtime, browser } = await accountForm(endSessionInput, data, page);
  if (!parsed.success) notice(page, "session_not_found");
  const result = await endMySession(runtime.provider, runtime.account, browser.session, parsed.data.session);
  notice(page, result === "ended" ? "session_ended" : "session_not_found");
}

export async function accountEndOtherSessions(data: FormData): Promise<void> {
  const page = "/account/sessions";
  const { runtime, browser } = await accountForm(accountFormInput, data, page);
  const result = await endMyOtherSessions(runtime.provider, runtime.account, browser.session);
  if (result === "reauth") reauth(page);
  notice(page, "others_ended");
}

export async function accountRevokeApp(data: FormData): Promise<void> {
  const page = "/account/apps";
  const { parsed, runtime, browser } = await accountForm(revokeAppInput, data, page);
  if (!parsed.success) notice(page, "app_not_found");
  const result = await revokeMyApp(runtime.provider, runtime.account, browser.session, parsed.data.client);
  notice(page, result === "revoked" ? "app_revoked" : "app_not_found");
}

export async function accountUnlink(data: FormData): Promise<void> {
  const page = "/account/links";
  const { parsed, runtime, browser } = await accountForm(unlinkInput, data, page);
  if (!parsed.success) notice(page, "link_not_found");
  const result = await unlinkMyLogin(runtime.provider, runtime.account, browser.session, parsed.data.link);
  if (result === "reauth") reauth(page);
  notice(page, result === "unlinked" ? "unlinked" : result === "last_login" ? "last_login" : "link_not_found");
}

// ---- profile ----

export async function accountSaveProfile(data: FormData): Promise<void> {
  const page = "/account";
  const { raw, runtime, browser } = await accountForm(accountFormInput, data, page);
  const result = await updateMyProfile(runtime.provider, runtime.account, browser.session, raw);
  if (result.kind === "not_signed_in") redirect(page);
  if (result.kind === "invalid") {
    // What was typed comes back (claims only, bounded), so the person corrects rather than retypes.
    const typed = Object.fromEntries(
      Object.keys(result.errors).map((k) => [`v.${k}`, typeof raw[k] === "string" ? (raw[k] as string).slice(0, 500) : ""]),
    );
    notice(page, "profile_invalid", { errors: errorsParam(result.errors), ...typed });
  }
  notice(page, "profile_saved");
}

// ---- email ----

export async function accountChangeEmail(data: FormData): Promise<void> {
  const page = "/account";
  const { runtime, browser } = await accountForm(accountFormInput, data, page);
  const parsed = emailChangeInput.safeParse(Object.fromEntries(data));
  if (!parsed.success) notice(page, "email_invalid", { errors: "email:email_invalid" });
  const result = await changeMyEmail(runtime.provider, runtime.lifecycle, browser.session, parsed.data.email, await clientMeta());
  if (result === "not_signed_in") redirect(page);
  if (result === "reauth") reauth(page);
  notice(page, result === "same" ? "email_same" : result === "throttled" ? "email_throttled" : "email_sent");
}

// ---- password ----

const PROBLEMS = ["too_short", "too_long", "common", "personal"] as const;
const isProblem = (r: string): r is (typeof PROBLEMS)[number] => (PROBLEMS as readonly string[]).includes(r);

export async function accountChangePassword(data: FormData): Promise<void> {
  const page = "/account/security";
  const { parsed, runtime, browser } = await accountForm(changePasswordInput, data, page);
  if (!parsed.success) notice(page, "password_invalid", { errors: errorsParam(issues(parsed.error)) });
  const result = await changeMyPassword(
    runtime.provider,
    runtime.account,
    runtime.accounts,
    browser.session,
    { current: parsed.data.current, password: parsed.data.password, policy: (await runtime.settings.get()).password },
    await clientMeta(),
  );
  if (result === "not_signed_in") redirect(page);
  if (isProblem(result)) notice(page, "password_invalid", { errors: errorsParam({ password: result }) });
  if (result === "no_password") notice(page, "password_invalid");
  if (result === "current_wrong" || result === "throttled") {
    notice(page, "password_invalid", { errors: errorsParam({ current: result === "throttled" ? "throttled" : "current_wrong" }) });
  }
  notice(page, "password_changed");
}

export async function accountSetPassword(data: FormData): Promise<void> {
  const page = "/account/security";
  const { parsed, runtime, browser } = await accountForm(setPasswordInput, data, page);
  if (!parsed.success) notice(page, "password_invalid", { errors: errorsParam(issues(parsed.error)) });
  const result = await setMyPassword(
    runtime.provider,
    runtime.account,
    browser.session,
    parsed.data.password,
    await clientMeta(),
    (await runtime.settings.get()).password,
  );
  if (result === "not_signed_in") redirect(page);
  if (isProblem(result)) notice(page, "password_invalid", { errors: errorsParam({ password: result }) });
  if (result === "reauth") reauth(page);
  if (result === "has_password") notice(page, "password_exists");
  notice(page, "password_set");
}

// ---- re-authentication ----

export async function accountReauthenticate(data: FormData): Promise<void> {
  const next = safeNext(data.get("next"));
  const back = `/account/reauth?${new URLSearchParams({ next })}`;
  const runtime = await getRuntime();
  const browser = await browserCookies();
  const parsed = reauthInput.safeParse(Object.fromEntries(data));
  if (!(await checkFormToken(runtime.provider, browser.csrf, ACCOUNT_FORM, parsed.success ? parsed.data.csrf : ""))) {
    redirect(`${back}&notice=expired_form`);
  }
  if (!parsed.success) redirect(`${back}&${new URLSearchParams({ errors: errorsParam(issues(parsed.error)) })}`);
  const meta = await clientMeta();
  const result = await reauthenticateWithPassword(
    runtime.provider,
    runtime.account,
    runtime.accounts,
    browser.session,
    parsed.data.password,
    meta,
  );
  if (result === "not_signed_in") redirect(next);
  if (result !== "reauthenticated") {
    redirect(`${back}&${new URLSearchParams({ errors: `password:${result === "throttled" ? "throttled" : "wrong_password"}` })}`);
  }
  redirect(`${next}${next.includes("?") ? "&" : "?"}notice=reauthenticated`);
}

/** Re-authentication through a linked provider: a POST with the CSRF token starts the upstream sign-in. */
export async function accountReauthenticateExternal(data: FormData): Promise<void> {
  const next = safeNext(data.get("next"));
  const provider = String(data.get("provider") ?? "").slice(0, 100);
  const runtime = await getRuntime();
  const browser = await browserCookies();
  const csrf = String(data.get("csrf") ?? "").slice(0, 200);
  if (!(await checkFormToken(runtime.provider, browser.csrf, ACCOUNT_FORM, csrf)) || !provider) {
    redirect(`/account/reauth?${new URLSearchParams({ next, notice: "expired_form" })}`);
  }
  const interaction = await saveInteraction(runtime.provider, { type: "account", next, createdAt: runtime.provider.now() });
  redirect(externalSignInUrl(provider, interaction));
}
