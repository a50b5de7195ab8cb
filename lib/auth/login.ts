/**
 * Password sign-in.
 *
 * Rules:
 * - over the sign-in rate limit (requests per minute by address and by name typed) the answer
 *   is THROTTLED before any other work;
 * - the attempt then claims its place in the failure counters of throttle.ts; when one of them
 *   makes it wait, the answer is THROTTLED after the same hash work as a real check;
 * - unknown user, wrong password, a user without a password and an administratively locked
 *   account all answer INVALID_CREDENTIALS after the same hash work;
 * - known and unknown names take the same path, with the same number of password checks and the
 *   same answers: only the hash compared against differs;
 * - a sign-up that must verify its email first (awaitingVerification) is refused with
 *   EMAIL_NOT_VERIFIED, after the password proved right;
 * - success clears the name's counters, ends any previous session of this browser and starts a
 *   new one (amr pwd); failures, throttling and success are audited, refused attempts are not
 *   (they are bounded by the rate limit, and would only fill the audit log);
 * - for a user with a second factor (an authenticator app or a passkey) success starts NO
 *   session: it starts a pending sign-in that the second-factor step completes (./factors).
 */
import type { ProviderContext } from "../oidc";
import { hitInOrder, addressKey, nameKey } from "../oidc";
import { startSession, sessionFromHandle } from "../oidc";
import { hashPassword, verifyPassword } from "./password";
import type { LoginAccount, UserAccountStore } from "./ports";
import { normalizeLogin, throttleKeys, type ThrottleCounter } from "./throttle";
import { startPendingSignIn } from "./factors/pending";

export const INVALID_CREDENTIALS = "Invalid username or password.";
export const THROTTLED = "Too many sign-in attempts. Wait a few minutes, then try again.";
export const EMAIL_NOT_VERIFIED = "Confirm your email address first: open the link we sent you.";

let dummyHash: Promise<string> | null = null;
/** The hash unknown names and refused attempts are checked against: the same work as a real one. */
function timingHash(): Promise<string> {
  dummyHash ??= hashPassword("dummy password for timing");
  return dummyHash;
}

export type PasswordVerifier = (password: string, hash: string) => Promise<boolean>;

export type SignInResult =
  | { ok: true; step: "session"; handle: string }
  /** the password was right; `pending` is the handle of the sign-in waiting for the second factor */
  | { ok: true; step: "second_factor"; pending: string }
  /** retryAfter: seconds, when throttled; unverified: the user who must confirm their email first */
  | { ok: false; message: string; retryAfter?: number; unverified?: string };

export type PasswordCheck =
  | { ok: true; account: LoginAccount }
  /** retryAfter: seconds, when throttled */
  | { ok: false; message: string; retryAfter?: number };

/**
 * Checks a password under the sign-in rate limits and throttle (the rules above), audited like a
 * sign-in; a success clears the name's counters. The one check behind every password prompt: the
 * sign-in forms, the account's re-authentication and its password change. `from` names the
 * prompt in the audit events (absent: a sign-in).
 */
export async function checkPassword(
  ctx: ProviderContext,
  accounts: UserAccountStore,
  input: { login: string; password: string; ipAddress?: string; from?: string },
  verify: PasswordVerifier = verifyPassword,
): Promise<PasswordCheck> {
  const dummy = await timingHash();
  const login = input.login.trim();
  const from = addressKey(input.ipAddress);
  const limited = await hitInOrder(ctx.limits, [
    ["login.ip", from],
    ["login.user", nameKey(`${normalizeLogin(login)}@${from}`)],
  ]);
  if (limited > 0) return { ok: false, message: THROTTLED, retryAfter: limited };

  const now = ctx.now();
  const keys = throttleKeys(ctx.settings.signInThrottle, login, input.ipAddress);
  const nowBlocked: ThrottleCounter[] = [];
  for (const k of keys) {
    const claim = await accounts.throttle.claim(k.key, k.rule, now);
    if (!claim.allowed) {
      await verify(input.password, dummy);
      return { ok: false, message: THROTTLED, retryAfter: Math.max(1, Math.ceil((claim.retryAt - now) / 1000)) };
    }
    if (claim.blockedUntil !== null && claim.failures === k.rule.free) nowBlocked.push(k.counter);
  }

  const account = await accounts.findByLogin(login);
  const valid = await verify(input.password, account?.passwordHash ?? dummy);
  const origin = input.from ? { from: input.from } : {};
  if (!account || !account.passwordHash || !valid || account.locked) {
    const reason = !account ? "unknown user" : !account.passwordHash ? "no password" : !valid ? "wrong password" : "account locked";
    await ctx.stores.audit.record({
      type: "login_failed",
      subject: account?.id,
      ipAddress: input.ipAddress,
      details: { reason, ...origin },
    });
    if (nowBlocked.length) {
      await ctx.stores.audit.record({
        type: "sign_in_throttled",
        subject: account?.id,
        ipAddress: input.ipAddress,
        details: { counters: nowBlocked, seconds: keys[0]!.rule.delays[0]! / 1000 },
      });
    }
    return { ok: false, message: INVALID_CREDENTIALS };
  }

  const [address, ...names] = keys;
  await accounts.throttle.clear(names.map((k) => k.key));
  await accounts.throttle.release(address!.key, address!.rule);
  return { ok: true, account };
}

export async function signInWithPassword(
  ctx: ProviderContext,
  accounts: UserAccountStore,
  input: { login: string; password: string; previousHandle?: string; ipAddress?: string; userAgent?: string },
  verify: PasswordVerifier = verifyPassword,
  /** whether the user must prove a second factor (absent: never) */
  secondFactor?: (userId: string) => Promise<boolean>,
): Promise<SignInResult> {
  const checked = await checkPassword(ctx, accounts, input, verify);
  if (!checked.ok) return checked;
  const { account } = checked;
  // Told only after the right password, so it reveals nothing to someone guessing.
  if (account.awaitingVerification) {
    await ctx.stores.audit.record({
      type: "login_failed",
      subject: account.id,
      ipAddress: input.ipAddress,
      details: { reason: "email not verified" },
    });
    return { ok: false, message: EMAIL_NOT_VERIFIED, unverified: account.id };
  }
  const now = ctx.now();
  const previous = await sessionFromHandle(ctx, input.previousHandle);
  if (secondFactor && (await secondFactor(account.id))) {
    const pending = await startPendingSignIn(ctx, {
      userId: account.id,
      login: input.login.trim(),
      amr: ["pwd"],
      ...(previous ? { previousSessionId: previous.session.id } : {}),
    });
    await ctx.stores.audit.record({ type: "login_password_verified", subject: account.id, ipAddress: input.ipAddress });
    return { ok: true, step: "second_factor", pending };
  }
  await accounts.recordSuccess(account.id, new Date(now));
  if (previous) await ctx.stores.sessions.revokeSession(previous.session.id, new Date(now));
  const { session, handle } = await startSession(ctx, {
    userId: account.id,
    amr: ["pwd"],
    ipAddress: input.ipAddress,
    userAgent: input.userAgent,
  });
  await ctx.stores.audit.record({
    type: "login_succeeded",
    subject: account.id,
    ipAddress: input.ipAddress,
    details: { sessionId: session.id },
  });
  return { ok: true, step: "session", handle };
}
