/**
 * Re-authentication for the account's sensitive actions (set a password, unlink a login, sign
 * out every other session).
 *
 * Rules:
 * - an action is sensitive-ready while the session's authTime is at most settings.account
 *   .reauthAfter seconds old, measured with ctx.now(); otherwise it does nothing and answers
 *   "reauth", and the page sends the browser to /account/reauth;
 * - re-authenticating proves the SAME user again: the password of the session's own user (the
 *   form names no user), through the sign-in throttle; or a fresh upstream sign-in whose user is
 *   the session's user. Then the session's authTime (and amr) are set to now in one conditional
 *   update of the user's active session;
 * - an upstream sign-in of ANOTHER user is never a re-authentication of this one: the caller
 *   starts that user's session like any sign-in (which ends this one);
 * - where the browser goes afterwards is a local path only (safeNext).
 */
import type { ActiveSessionLike } from "./types";
import type { ProviderContext } from "../oidc";
import { sessionFromHandle } from "../oidc";
import { checkPassword, THROTTLED } from "../auth/login";
import type { UserAccountStore } from "../auth/ports";
import type { AccountStore } from "./ports";

/** Whether the session's sign-in is recent enough for a sensitive action. */
export function recentlyAuthenticated(ctx: ProviderContext, active: ActiveSessionLike): boolean {
  return ctx.now() - active.session.authTime.getTime() <= ctx.settings.account.reauthAfter * 1000;
}

/** Only local paths: `next` must never send the browser elsewhere. */
export function safeNext(next: unknown, fallback = "/account"): string {
  const v = typeof next === "string" ? next : "";
  return /^\/(?![/\\])[\w\-./?=&%]*$/.test(v) && v.length <= 500 ? v : fallback;
}

export interface ReauthView {
  username: string;
  /** the providers the user has linked (for the upstream buttons) */
  linkedProviders: string[];
  hasPassword: boolean;
}

/** What the re-authentication page shows; null when not signed in. */
export async function reauthView(ctx: ProviderContext, store: AccountStore, sessionHandle: string | undefined): Promise<ReauthView | null> {
  const active = await sessionFromHandle(ctx, sessionHandle);
  if (!active) return null;
  const links = await store.listLinks(active.user.id);
  return {
    username: active.user.username,
    linkedProviders: [...new Set(links.map((l) => l.provider))],
    hasPassword: (await store.passwordHash(active.user.id)) !== null,
  };
}

export type ReauthResult = "reauthenticated" | "not_signed_in" | "wrong_password" | "throttled";

/** Re-authentication with the password of the session's own user. */
export async function reauthenticateWithPassword(
  ctx: ProviderContext,
  store: AccountStore,
  accounts: UserAccountStore,
  sessionHandle: string | undefined,
  password: string,
  meta: { ipAddress?: string } = {},
): Promise<ReauthResult> {
  const active = await sessionFromHandle(ctx, sessionHandle);
  if (!active) return "not_signed_in";
  const checked = await checkPassword(ctx, accounts, {
    login: active.user.username,
    password,
    ipAddress: meta.ipAddress,
    from: "account_reauth",
  });
  if (!checked.ok) return checked.message === THROTTLED ? "throttled" : "wrong_password";
  if (checked.account.id !== active.user.id) return "wrong_password";
  return reauthenticate(ctx, store, active, ["pwd"], meta.ipAddress);
}

/**
 * An upstream sign-in came back while this browser had `sessionHandle`: the same user's
 * re-authentication, or (another user, or no session) an ordinary sign-in the caller performs.
 */
export async function reauthenticateWithUpstream(
  ctx: ProviderContext,
  store: AccountStore,
  sessionHandle: string | undefined,
  outcome: { userId: string; amr: string[]; providerId: string },
  meta: { ipAddress?: string } = {},
): Promise<"reauthenticated" | "sign_in"> {
  const active = await sessionFromHandle(ctx, sessionHandle);
  if (!active || active.user.id !== outcome.userId) return "sign_in";
  const result = await reauthenticate(ctx, store, active, outcome.amr, meta.ipAddress, outcome.providerId);
  return result === "reauthenticated" ? "reauthenticated" : "sign_in";
}

async function reauthenticate(
  ctx: ProviderContext,
  store: AccountStore,
  active: ActiveSessionLike,
  amr: string[],
  ipAddress?: string,
  provider?: string,
): Promise<"reauthenticated" | "not_signed_in"> {
  if (!(await store.reauthenticate(active.user.id, active.session.id, new Date(ctx.now()), amr))) return "not_signed_in";
  await ctx.stores.audit.record({
    type: "reauthenticated",
    actor: active.user.id,
    subject: active.user.id,
    ipAddress,
    details: { sessionId: active.session.id, method: provider ? "upstream" : "pwd", ...(provider ? { provider } : {}) },
  });
  return "reauthenticated";
}
