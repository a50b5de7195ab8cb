/**
 * Password sign-in.
 *
 * Rules:
 * - unknown user, wrong password and an administratively locked account all answer the same
 *   message, after the same slow hash work;
 * - after 5 failures in a row the account is locked for 15 minutes and says so;
 * - success resets the count, ends any previous session of this browser and starts a new one
 *   (amr pwd); every outcome is audited.
 */
import type { ProviderContext } from "../oidc";
import { startSession, sessionFromHandle } from "../oidc/session";
import { hashPassword, verifyPassword } from "./password";
import type { UserAccountStore } from "./ports";

export const MAX_FAILURES = 5;
export const LOCKOUT_SECONDS = 15 * 60;
export const INVALID_CREDENTIALS = "Invalid username or password.";
export const LOCKED_OUT = "Too many failed sign-in attempts. Try again in a few minutes.";

let dummyHash: Promise<string> | null = null;

export type SignInResult = { ok: true; handle: string } | { ok: false; message: string };

export async function signInWithPassword(
  ctx: ProviderContext, accounts: UserAccountStore,
  input: { login: string; password: string; previousHandle?: string; ipAddress?: string; userAgent?: string },
): Promise<SignInResult> {
  const now = ctx.now();
  const account = await accounts.findByLogin(input.login.trim());
  if (!account || !account.passwordHash) {
    dummyHash ??= hashPassword("dummy password for timing");
    await verifyPassword(input.password, await dummyHash);
    await ctx.stores.audit.record({ type: "login_failed", details: { reason: "unknown user" } });
    return { ok: false, message: INVALID_CREDENTIALS };
  }
  if (account.lockedUntil && account.lockedUntil.getTime() > now) {
    await ctx.stores.audit.record({ type: "login_failed", subject: account.id, details: { reason: "locked out" } });
    return { ok: false, message: LOCKED_OUT };
  }
  const valid = await verifyPassword(input.password, account.passwordHash);
  if (!valid || account.locked) {
    if (!valid) {
      const lock = account.failedLoginCount + 1 >= MAX_FAILURES;
      await accounts.recordFailure(account.id, lock ? new Date(now + LOCKOUT_SECONDS * 1000) : undefined);
      if (lock) await ctx.stores.audit.record({ type: "account_locked_out", subject: account.id, details: { minutes: LOCKOUT_SECONDS / 60 } });
      await ctx.stores.audit.record({ type: "login_failed", subject: account.id, details: { reason: "wrong password" } });
      if (lock) return { ok: false, message: LOCKED_OUT };
    } else {
      await ctx.stores.audit.record({ type: "login_failed", subject: account.id, details: { reason: "account locked" } });
    }
    return { ok: false, message: INVALID_CREDENTIALS };
  }
  await accounts.recordSuccess(account.id, new Date(now));
  const previous = await sessionFromHandle(ctx, input.previousHandle);
  if (previous) await ctx.stores.sessions.revokeSession(previous.session.id, new Date(now));
  const { session, handle } = await startSession(ctx, { userId: account.id, amr: ["pwd"], ipAddress: input.ipAddress, userAgent: input.userAgent });
  await ctx.stores.audit.record({ type: "login_succeeded", subject: account.id, details: { sessionId: session.id } });
  return { ok: true, handle };
}
