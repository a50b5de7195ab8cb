/**
 * The second-factor step: after a password (a pending sign-in), or for step-up (a live session
 * that lacks "mfa").
 *
 * Rules:
 * - a pending sign-in of this browser is completed first; without one, the browser's live session
 *   is upgraded; with neither, the answer is "expired" (back to sign in);
 * - every code attempt passes the sign-in rate limit and claims its place in the SAME throttle
 *   counters as a password attempt (the name typed at sign-in, or the username for step-up, and
 *   the address), before the code is checked: wrong codes and wrong passwords add up, and a
 *   throttled attempt checks nothing and answers THROTTLED;
 * - success clears the name's counters, takes its attempt back from the address counter, and
 *   adds the factor's amr and "mfa" (the session's authTime becomes now on step-up);
 * - wrong codes and uses of recovery codes are audited.
 */
import type { ActiveSession, ProviderContext } from "../../oidc";
import { addressKey, hitInOrder, nameKey, sessionFromHandle } from "../../oidc";
import { THROTTLED } from "../login";
import type { SignInThrottleStore } from "../ports";
import { normalizeLogin, throttleKeys } from "../throttle";
import { completePendingSignIn, loadPendingSignIn } from "./pending";
import type { FactorDeps, FactorService, SecondFactorMethod } from "./service";

export const WRONG_CODE = "That code is not right. Check the code and try again.";
export const SIGN_IN_EXPIRED = "Your sign-in took too long. Sign in again.";

/** The amr a code adds: both kinds are one-time passwords (RFC 8176 "otp"). */
export const CODE_AMR = ["otp"];

/**
 * Runs `attempt` under the sign-in rate limit and throttle of `login` (see the rules above):
 * "throttled" when it was not run.
 */
export async function throttledAttempt(
  ctx: ProviderContext,
  throttle: SignInThrottleStore,
  login: string,
  ipAddress: string | undefined,
  attempt: () => Promise<boolean>,
): Promise<"ok" | "wrong" | "throttled"> {
  const from = addressKey(ipAddress);
  const limited = await hitInOrder(ctx.limits, [
    ["login.ip", from],
    ["login.user", nameKey(`${normalizeLogin(login)}@${from}`)],
  ]);
  if (limited > 0) return "throttled";
  const keys = throttleKeys(ctx.settings.signInThrottle, login, ipAddress);
  for (const k of keys) {
    if (!(await throttle.claim(k.key, k.rule, ctx.now())).allowed) return "throttled";
  }
  if (!(await attempt())) return "wrong";
  const [address, ...names] = keys;
  await throttle.clear(names.map((k) => k.key));
  await throttle.release(address!.key, address!.rule);
  return "ok";
}

/**
 * Adds the factor's amr and "mfa" to a live session (step-up). Its authTime stays: a second
 * factor is not a new sign-in, so it never satisfies max_age, prompt=login or a recent-sign-in
 * check by itself (a stolen cookie plus a newly set up factor must not count as re-authentication).
 */
export async function upgradeActiveSession(ctx: ProviderContext, active: ActiveSession, factorAmr: string[]): Promise<boolean> {
  const amr = [...new Set([...active.session.amr, ...factorAmr, "mfa"])];
  const done = await ctx.stores.sessions.upgradeSession(active.session.id, amr, active.session.authTime);
  if (done) {
    await ctx.stores.audit.record({
      type: "session_upgraded",
      actor: active.user.id,
      subject: active.user.id,
      details: { sessionId: active.session.id, amr },
    });
  }
  return done;
}

/** Whose second factor the page asks for: a pending sign-in, a session to upgrade, or nobody. */
export type SecondFactorSubject =
  | { kind: "pending"; userId: string; login: string }
  | { kind: "session"; userId: string; login: string; active: ActiveSession }
  | { kind: "expired" };

export async function secondFactorSubject(
  ctx: ProviderContext,
  handles: { pending?: string; session?: string },
): Promise<SecondFactorSubject> {
  const pending = await loadPendingSignIn(ctx, handles.pending);
  if (pending.state === "live") return { kind: "pending", userId: pending.pending.userId, login: pending.pending.login };
  const active = await sessionFromHandle(ctx, handles.session);
  if (active) return { kind: "session", userId: active.user.id, login: active.user.username, active };
  return { kind: "expired" };
}

export type SecondFactorResult =
  /** handle: the new session's cookie value, when a pending sign-in completed */
  { ok: true; handle?: string } | { ok: false; reason: "expired" | "wrong_code" | "throttled"; message: string };

export async function proveSecondFactor(
  deps: Pick<FactorDeps, "ctx" | "accounts">,
  factors: FactorService,
  input: {
    handles: { pending?: string; session?: string };
    method: SecondFactorMethod;
    code: string;
    ipAddress?: string;
    userAgent?: string;
  },
): Promise<SecondFactorResult> {
  const { ctx } = deps;
  const subject = await secondFactorSubject(ctx, input.handles);
  if (subject.kind === "expired") return { ok: false, reason: "expired", message: SIGN_IN_EXPIRED };
  const code = input.code.slice(0, 64);
  const outcome = await throttledAttempt(ctx, deps.accounts.throttle, subject.login, input.ipAddress, () =>
    factors.verifyCode(subject.userId, input.method, code, { ipAddress: input.ipAddress }),
  );
  if (outcome === "throttled") return { ok: false, reason: "throttled", message: THROTTLED };
  if (outcome === "wrong") {
    await ctx.stores.audit.record({
      type: "mfa_failed",
      subject: subject.userId,
      ipAddress: input.ipAddress,
      details: { method: input.method, step: subject.kind },
    });
    return { ok: false, reason: "wrong_code", message: WRONG_CODE };
  }
  if (subject.kind === "session") {
    return (await upgradeActiveSession(ctx, subject.active, CODE_AMR))
      ? { ok: true }
      : { ok: false, reason: "expired", message: SIGN_IN_EXPIRED };
  }
  const done = await completePendingSignIn(ctx, input.handles.pending, CODE_AMR, {
    ipAddress: input.ipAddress,
    userAgent: input.userAgent,
    recordSuccess: (id, at) => deps.accounts.recordSuccess(id, at),
  });
  return done.ok ? { ok: true, handle: done.handle } : { ok: false, reason: "expired", message: SIGN_IN_EXPIRED };
}
