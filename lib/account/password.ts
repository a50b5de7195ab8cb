/**
 * The signed-in user's password: change it (the current one proves the person, so no separate
 * re-authentication) or set a first one (an account created by an external sign-in; sensitive,
 * so it needs a recent sign-in, lib/account/reauth.ts).
 *
 * Rules:
 * - the new password follows the one password policy (lib/auth/password-policy.ts, with the
 *   console's minimum length) and is hashed slowly (lib/auth/password.ts); a refused one is
 *   answered with its problem before the current password is checked;
 * - the current password is checked like a sign-in (lib/auth/login.ts checkPassword): a wrong
 *   one counts towards the sign-in throttle and is audited as login_failed;
 * - the store replaces the hash only if it is still the one checked (or still none): one
 *   conditional update, so two concurrent changes cannot both win;
 * - afterwards every OTHER session of the user ends, this one stays; audited password_changed
 *   or password_set.
 */
import type { ProviderContext } from "../oidc";
import { sessionFromHandle } from "../oidc";
import { checkPassword, THROTTLED } from "../auth/login";
import { hashPassword } from "../auth/password";
import { passwordProblem, type PasswordProblem } from "../auth/password-policy";
import type { PasswordPolicy } from "../settings/schema";
import type { UserAccountStore } from "../auth/ports";
import type { AccountStore } from "./ports";
import { recentlyAuthenticated } from "./reauth";

export type PasswordChange = "changed" | "not_signed_in" | "no_password" | "current_wrong" | "throttled" | PasswordProblem;

export async function changeMyPassword(
  ctx: ProviderContext,
  store: AccountStore,
  accounts: UserAccountStore,
  sessionHandle: string | undefined,
  input: { current: string; password: string; policy?: PasswordPolicy },
  meta: { ipAddress?: string } = {},
): Promise<PasswordChange> {
  const active = await sessionFromHandle(ctx, sessionHandle);
  if (!active) return "not_signed_in";
  const problem = passwordProblem(input.password, active.user, input.policy);
  if (problem) return problem;
  const stored = await store.passwordHash(active.user.id);
  if (stored === null) return "no_password";
  const checked = await checkPassword(ctx, accounts, {
    login: active.user.username,
    password: input.current,
    ipAddress: meta.ipAddress,
    from: "account_password",
  });
  if (!checked.ok) return checked.message === THROTTLED ? "throttled" : "current_wrong";
  if (checked.account.id !== active.user.id) return "current_wrong";
  if (!(await store.replacePassword(active.user.id, await hashPassword(input.password), stored))) return "current_wrong";
  await afterPasswordWrite(ctx, store, active, "password_changed", meta);
  return "changed";
}

export type PasswordSet = "set" | "not_signed_in" | "reauth" | "has_password" | PasswordProblem;

export async function setMyPassword(
  ctx: ProviderContext,
  store: AccountStore,
  sessionHandle: string | undefined,
  password: string,
  meta: { ipAddress?: string } = {},
  policy?: PasswordPolicy,
): Promise<PasswordSet> {
  const active = await sessionFromHandle(ctx, sessionHandle);
  if (!active) return "not_signed_in";
  if (!recentlyAuthenticated(ctx, active)) return "reauth";
  const problem = passwordProblem(password, active.user, policy);
  if (problem) return problem;
  if (!(await store.replacePassword(active.user.id, await hashPassword(password), null))) return "has_password";
  await afterPasswordWrite(ctx, store, active, "password_set", meta);
  return "set";
}

type Active = NonNullable<Awaited<ReturnType<typeof sessionFromHandle>>>;

/** What follows every new password: the user's other sessions end, and the write is audited. */
async function afterPasswordWrite(
  ctx: ProviderContext,
  store: AccountStore,
  active: Active,
  type: "password_changed" | "password_set",
  meta: { ipAddress?: string },
): Promise<void> {
  const ended = await store.revokeOtherSessions(active.user.id, active.session.id, new Date(ctx.now()));
  await ctx.stores.audit.record({
    type,
    actor: active.user.id,
    subject: active.user.id,
    ipAddress: meta.ipAddress,
    details: { sessionsEnded: ended, from: "account_password" },
  });
}

/** Whether the signed-in user has a password (the security page offers change or set); null when not signed in. */
export async function myPasswordState(
  ctx: ProviderContext,
  store: AccountStore,
  sessionHandle: string | undefined,
): Promise<{ hasPassword: boolean; recent: boolean } | null> {
  const active = await sessionFromHandle(ctx, sessionHandle);
  if (!active) return null;
  return { hasPassword: (await store.passwordHash(active.user.id)) !== null, recent: recentlyAuthenticated(ctx, active) };
}
