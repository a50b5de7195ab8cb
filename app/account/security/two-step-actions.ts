"use server";

import { redirect } from "next/navigation";
import type { EnrolmentState } from "@/components/interaction/totp-enrolment";
import { checkFormToken } from "@/lib/auth/csrf";
import { confirmMyTotp, regenerateMyRecoveryCodes, removeMyTotp, startMyTotp } from "@/lib/account/two-step";
import { browserCookies, clientMeta } from "@/lib/next/request";
import { getRuntime } from "@/lib/runtime";

const PAGE = "/account/security";
/** The account area's one CSRF purpose (app/account/actions.ts). */
const ACCOUNT_FORM = "sessions:account";
const EXPIRED = "The form expired. Please try again.";

async function checked(data: FormData) {
  const runtime = await getRuntime();
  const browser = await browserCookies();
  const csrf = String(data.get("csrf") ?? "").slice(0, 200);
  return { runtime, browser, valid: await checkFormToken(runtime.provider, browser.csrf, ACCOUNT_FORM, csrf) };
}

const reauth = (): never => redirect(`/account/reauth?${new URLSearchParams({ next: PAGE })}`);

export async function accountStartTotp(data: FormData): Promise<void> {
  const { runtime, browser, valid } = await checked(data);
  if (!valid) redirect(`${PAGE}?notice=expired_form`);
  const result = await startMyTotp(runtime.provider, runtime.factors, browser.session);
  if (result === "exists") redirect(`${PAGE}?notice=totp_exists`);
  if (result === "reauth") reauth();
  if (result === "needs_mfa") redirect(`${PAGE}?notice=totp_needs_mfa`);
  // A new query, not only a hash: a same-URL hash redirect would not re-render the page.
  redirect(`${PAGE}?setup=totp`);
}

export async function accountConfirmTotp(_previous: EnrolmentState, data: FormData): Promise<EnrolmentState> {
  const { runtime, browser, valid } = await checked(data);
  if (!valid) return { error: EXPIRED };
  const result = await confirmMyTotp(
    runtime.provider,
    runtime.factors,
    browser.session,
    String(data.get("code") ?? ""),
    await clientMeta(),
  );
  if (result.ok) return { codes: result.codes, continueUrl: PAGE };
  if (result.reason === "not_signed_in") redirect(PAGE);
  return { error: result.reason === "wrong_code" ? "That code is not right. Check the app and try again." : "Start the setup again." };
}

export async function accountRegenerateCodes(_previous: { codes?: string[]; error?: string }, data: FormData) {
  const { runtime, browser, valid } = await checked(data);
  if (!valid) return { error: EXPIRED };
  const result = await regenerateMyRecoveryCodes(runtime.provider, runtime.factors, browser.session, await clientMeta());
  if (result.kind === "reauth") reauth();
  if (result.kind === "not_signed_in") redirect(PAGE);
  return result.kind === "done" ? { codes: result.codes } : { error: "Set up an authenticator app first." };
}

export async function accountRemoveTotp(data: FormData): Promise<void> {
  const { runtime, browser, valid } = await checked(data);
  if (!valid) redirect(`${PAGE}?notice=expired_form`);
  const result = await removeMyTotp(runtime.provider, runtime.factors, browser.session, await clientMeta());
  if (result === "reauth") reauth();
  redirect(result === "removed" ? `${PAGE}?notice=totp_removed` : PAGE);
}
