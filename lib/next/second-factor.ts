/**
 * The server side of the second-factor page (/interaction/mfa): after a password (a pending
 * sign-in in the PENDING_COOKIE), or for step-up (the session cookie, no pending sign-in).
 *
 * Rules:
 * - the page continues either an authorization request (`interaction`, checked live) or the
 *   account area (`next`, a local path only);
 * - every form carries a CSRF token of the page's purpose;
 * - an expired sign-in goes back to the sign-in form with SIGN_IN_EXPIRED; wrong codes and
 *   throttling come back to this page as a code in the URL, never as free text;
 * - a user without any factor (step-up only) sets up an authenticator app here, which also
 *   upgrades the session.
 */
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { Pages, loginView, resumeUrl, sessionCookieOptions } from "../oidc";
import { recentlyAuthenticated, safeNext } from "../account/reauth";
import type { ActiveSession } from "../oidc";
import { checkFormToken, formToken } from "../auth/csrf";
import {
  CODE_AMR,
  PENDING_COOKIE,
  completePendingSignIn,
  SIGN_IN_EXPIRED,
  proveSecondFactor,
  secondFactorSubject,
  upgradeActiveSession,
  type SecondFactorMethod,
} from "../auth/factors";
import type { EnrolmentState } from "../../components/interaction/totp-enrolment";
import { getRuntime } from "../runtime";
import { errorCode } from "./login";
import { browserCookies, clientMeta } from "./request";
import { passkeyFactor, passkeyFactorOptions } from "./passkeys";

export type MfaTarget = { interaction: string } | { next: string };

export function mfaTargetOf(raw: { interaction?: unknown; next?: unknown }): MfaTarget {
  const interaction = typeof raw.interaction === "string" ? raw.interaction.slice(0, 100) : "";
  return interaction ? { interaction } : { next: safeNext(raw.next) };
}

/** The CSRF purpose of the page's forms (the passkey component uses it too). */
export const mfaFormPurpose = (t: MfaTarget) => ("interaction" in t ? `mfa:${t.interaction}` : "mfa:account");

const pageUrl = (t: MfaTarget, extra: Record<string, string> = {}) => `${Pages.mfa}?${new URLSearchParams({ ...t, ...extra })}`;

/** Back to the sign-in form this sign-in started from, saying why. */
export function signInAgainUrl(t: MfaTarget, error = errorCode(SIGN_IN_EXPIRED)): string {
  if ("interaction" in t) return `${Pages.login}?${new URLSearchParams({ interaction: t.interaction, error })}`;
  return `${t.next.split("?")[0]}?${new URLSearchParams({ error, next: t.next })}`;
}

async function continueUrlOf(t: MfaTarget): Promise<string | null> {
  const { provider } = await getRuntime();
  if ("interaction" in t) return (await loginView(provider, t.interaction)) ? resumeUrl(provider, t.interaction) : null;
  return t.next;
}

async function handles() {
  const browser = await browserCookies();
  return { pending: (await cookies()).get(PENDING_COOKIE)?.value, session: browser.session, csrf: browser.csrf };
}

/** What the page shows. */
export async function mfaPage(t: MfaTarget) {
  const runtime = await getRuntime();
  const continueUrl = await continueUrlOf(t);
  if (!continueUrl) return { kind: "request_expired" as const };
  const h = await handles();
  const subject = await secondFactorSubject(runtime.provider, h);
  if (subject.kind === "expired") return { kind: "sign_in_expired" as const, signInUrl: signInAgainUrl(t) };
  const factors = await runtime.factors.factorsOf(subject.userId);
  const hasFactor = factors.totp || factors.passkeys > 0;
  // A first factor is set up here only soon after a sign-in: an older session signs in again first.
  if (!hasFactor && subject.kind === "session" && !recentlyAuthenticated(runtime.provider, subject.active))
    return { kind: "sign_in_expired" as const, signInUrl: signInAgainUrl(t) };
  return {
    kind: "ready" as const,
    mode: subject.kind === "pending" ? ("sign_in" as const) : ("step_up" as const),
    factors,
    // Only step-up sets up a first factor here: a pending sign-in exists only for users with one.
    enrolment: !hasFactor && subject.kind === "session" ? await runtime.factors.pendingEnrolment(subject.userId) : null,
    needsEnrolment: !hasFactor && subject.kind === "session",
    csrf: await formToken(runtime.provider, h.csrf, mfaFormPurpose(t)),
    continueUrl,
  };
}

async function checkedForm(data: FormData) {
  const t = mfaTargetOf({ interaction: data.get("interaction"), next: data.get("next") });
  const runtime = await getRuntime();
  const h = await handles();
  const csrf = String(data.get("csrf") ?? "").slice(0, 200);
  const valid = await checkFormToken(runtime.provider, h.csrf, mfaFormPurpose(t), csrf);
  return { t, runtime, h, valid };
}

/** The code form: a TOTP or recovery code; completes the sign-in or upgrades the session, then continues. */
export async function submitSecondFactor(data: FormData): Promise<never> {
  const { t, runtime, h, valid } = await checkedForm(data);
  const method: SecondFactorMethod = data.get("method") === "recovery" ? "recovery" : "totp";
  if (!valid) redirect(pageUrl(t, { error: "expired", ...(method === "recovery" ? { method } : {}) }));
  const continueUrl = await continueUrlOf(t);
  if (!continueUrl) redirect(signInAgainUrl(t, "request"));
  const result = await proveSecondFactor({ ctx: runtime.provider, accounts: runtime.accounts }, runtime.factors, {
    handles: h,
    method,
    code: String(data.get("code") ?? ""),
    ...(await clientMeta()),
  });
  if (!result.ok) {
    if (result.reason === "expired") redirect(signInAgainUrl(t));
    redirect(pageUrl(t, { error: errorCode(result.message), ...(method === "recovery" ? { method } : {}) }));
  }
  const jar = await cookies();
  jar.delete(PENDING_COOKIE);
  if (result.handle) {
    const { name, ...options } = sessionCookieOptions(runtime.provider);
    jar.set(name, result.handle, options);
  }
  redirect(continueUrl);
}

/**
 * Whether this session may set up its first factor here: only a user with none, and only soon
 * after a sign-in (settings.account.reauthAfter), so a stolen cookie cannot add a factor of its own.
 */
async function mayEnrolHere(runtime: Awaited<ReturnType<typeof getRuntime>>, subject: { userId: string; active: ActiveSession }) {
  return recentlyAuthenticated(runtime.provider, subject.active) && !(await runtime.factors.hasSecondFactor(subject.userId));
}

/** Step-up for a user without a factor: starts setting up an authenticator app. */
export async function startStepUpEnrolment(data: FormData): Promise<never> {
  const { t, runtime, h, valid } = await checkedForm(data);
  if (!valid) redirect(pageUrl(t, { error: "expired" }));
  const subject = await secondFactorSubject(runtime.provider, h);
  if (subject.kind !== "session" || !(await mayEnrolHere(runtime, subject))) redirect(signInAgainUrl(t));
  await runtime.factors.startTotpEnrolment(subject.userId);
  redirect(pageUrl(t));
}

/** Confirms the step-up enrolment: the session gets "otp" and "mfa", the recovery codes come back once. */
export async function confirmStepUpEnrolment(_previous: EnrolmentState, data: FormData): Promise<EnrolmentState> {
  const { t, runtime, h, valid } = await checkedForm(data);
  if (!valid) return { error: "This form has expired. Reload the page and try again." };
  const subject = await secondFactorSubject(runtime.provider, h);
  if (subject.kind !== "session" || !(await mayEnrolHere(runtime, subject))) return { error: SIGN_IN_EXPIRED };
  const meta = await clientMeta();
  const confirmed = await runtime.factors.confirmTotpEnrolment(subject.userId, String(data.get("code") ?? "").slice(0, 64), meta);
  if (!confirmed.ok) {
    return { error: confirmed.reason === "wrong_code" ? "That code is not right. Check the app and try again." : "Start the setup again." };
  }
  await upgradeActiveSession(runtime.provider, subject.active, CODE_AMR);
  return { codes: confirmed.codes, continueUrl: (await continueUrlOf(t)) ?? signInAgainUrl(t, "request") };
}

// ---- the passkey factor (components/interaction/passkey-factor.tsx) ----

const FORM_EXPIRED = "This form has expired. Reload the page and try again.";

/** The page's subject and the string a passkey challenge is bound to: the pending sign-in or the session. */
async function passkeySubject(t: MfaTarget, csrf: unknown) {
  const runtime = await getRuntime();
  const h = await handles();
  if (!(await checkFormToken(runtime.provider, h.csrf, mfaFormPurpose(t), String(csrf ?? "").slice(0, 200)))) return null;
  const subject = await secondFactorSubject(runtime.provider, h);
  if (subject.kind === "expired") return { runtime, h, subject, binding: "" };
  const binding = subject.kind === "pending" ? h.pending! : `session:${subject.active.session.id}`;
  return { runtime, h, subject, binding };
}

/** Options for proving the second factor with a passkey. */
export async function passkeyStepOptions(t: MfaTarget, csrf: unknown) {
  const s = await passkeySubject(t, csrf);
  if (!s) return { ok: false as const, message: FORM_EXPIRED };
  if (s.subject.kind === "expired") return { ok: false as const, message: SIGN_IN_EXPIRED };
  return passkeyFactorOptions(s.subject.userId, s.binding);
}

/**
 * Verifies the passkey: a pending sign-in completes (amr pwd, hwk|swk, mfa), a session is upgraded
 * (its own amr plus hwk|swk and mfa: a federated session does not become "pwd").
 */
export async function passkeyStep(t: MfaTarget, csrf: unknown, response: unknown) {
  const s = await passkeySubject(t, csrf);
  if (!s) return { ok: false as const, message: FORM_EXPIRED };
  const { runtime, h, subject } = s;
  if (subject.kind === "expired") return { ok: false as const, message: SIGN_IN_EXPIRED };
  const continueUrl = await continueUrlOf(t);
  if (!continueUrl) return { ok: false as const, message: SIGN_IN_EXPIRED };
  return passkeyFactor(subject.userId, s.binding, response, async (amr) => {
    const factorAmr = amr.filter((a) => a !== "pwd");
    if (subject.kind === "session") {
      return (await upgradeActiveSession(runtime.provider, subject.active, factorAmr)) ? continueUrl : signInAgainUrl(t);
    }
    const done = await completePendingSignIn(runtime.provider, h.pending, factorAmr, {
      ...(await clientMeta()),
      recordSuccess: (id, at) => runtime.accounts.recordSuccess(id, at),
    });
    if (!done.ok) return signInAgainUrl(t);
    const jar = await cookies();
    jar.delete(PENDING_COOKIE);
    const { name, ...options } = sessionCookieOptions(runtime.provider);
    jar.set(name, done.handle, options);
    return continueUrl;
  });
}
