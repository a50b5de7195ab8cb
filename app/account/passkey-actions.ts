"use server";

import { redirect } from "next/navigation";
import { getRuntime } from "@/lib/runtime";
import { checkFormToken } from "@/lib/auth/csrf";
import { removeMyPasskey, renameMyPasskey } from "@/lib/auth/passkeys";
import { safeNext } from "@/lib/account/service";
import { browserCookies, clientMeta } from "@/lib/next/request";
import {
  passkeyRegister,
  passkeyRegistrationOptions,
  passkeySignIn,
  passkeySignInOptions,
  slotOf,
  type PasskeyAnswer,
} from "@/lib/next/passkeys";
import type { AccountNotice } from "@/lib/schemas/account";

const PAGE = "/account/security";
/** The account area's CSRF purpose (app/account/actions.ts). */
const ACCOUNT_FORM = "sessions:account";

function notice(code: AccountNotice): never {
  redirect(`${PAGE}?${new URLSearchParams({ notice: code })}`);
}

async function accountFormOk(data: FormData) {
  const runtime = await getRuntime();
  const browser = await browserCookies();
  const csrf = String(data.get("csrf") ?? "").slice(0, 200);
  if (!(await checkFormToken(runtime.provider, browser.csrf, ACCOUNT_FORM, csrf))) notice("expired_form");
  return { runtime, browser };
}

// ---- registration (called by the "Add a passkey" client component) ----

export async function accountPasskeyOptions(csrf: unknown) {
  return passkeyRegistrationOptions(csrf);
}

export async function accountPasskeyRegister(csrf: unknown, response: unknown, name: unknown) {
  return passkeyRegister(csrf, response, name);
}

// ---- rename and remove: plain forms, no JavaScript needed ----

export async function accountPasskeyRename(data: FormData): Promise<void> {
  const { runtime, browser } = await accountFormOk(data);
  const result = await renameMyPasskey(runtime.provider, runtime.passkeys, browser.session, {
    id: data.get("passkey"),
    name: data.get("name"),
  });
  if (result === "not_signed_in") redirect(PAGE);
  notice(result === "renamed" ? "passkey_renamed" : result === "invalid_name" ? "passkey_name_invalid" : "passkey_not_found");
}

export async function accountPasskeyRemove(data: FormData): Promise<void> {
  const { runtime, browser } = await accountFormOk(data);
  const result = await removeMyPasskey(
    runtime.provider,
    runtime.passkeys,
    browser.session,
    { id: data.get("passkey") },
    await clientMeta(),
  );
  if (result === "not_signed_in") redirect(PAGE);
  if (result === "reauth") redirect(`/account/reauth?${new URLSearchParams({ next: PAGE })}`);
  notice(result === "removed" ? "passkey_removed" : "passkey_not_found");
}

// ---- the account's own sign-in with a passkey ----

export async function accountPasskeySignInOptions(csrf: unknown, autofill: unknown) {
  return passkeySignInOptions("login:account", csrf, async () => true, slotOf(autofill));
}

export async function accountPasskeySignIn(
  next: unknown,
  csrf: unknown,
  autofill: unknown,
  response: unknown,
): Promise<PasskeyAnswer<{ redirect: string }>> {
  const result = await passkeySignIn("login:account", csrf, response, async () => true, slotOf(autofill));
  return result.ok ? { ok: true, redirect: safeNext(next) } : result;
}
