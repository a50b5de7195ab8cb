/**
 * A sign-in waiting for its second factor.
 *
 * Rules:
 * - a correct password of a user with a second factor starts no session: it stores a pending
 *   sign-in (user, the password's amr, the typed name for the throttle, the browser's previous
 *   session) for PENDING_LIFETIME seconds under the hash of a random handle, which the browser
 *   keeps in an HttpOnly cookie;
 * - completing it is single use (one conditional update of the record: of two concurrent
 *   completions one starts a session); then the previous session of this browser ends and the
 *   new one carries the password's amr, the factor's and "mfa";
 * - an expired or unknown handle completes nothing: the caller sends the browser back to sign in.
 */
import type { ProviderContext } from "../../oidc";
import { randomHandle, startSession } from "../../oidc";

export const PENDING_LIFETIME = 300;
export const PENDING_COOKIE = "portcullis.pending";
const TYPE = "pending_sign_in";

export interface PendingSignIn {
  userId: string;
  /** the name as typed: the throttle counts wrong codes under it, like wrong passwords */
  login: string;
  amr: string[];
  previousSessionId?: string;
}

const keyOf = async (ctx: ProviderContext, handle: string) => `pending:${await ctx.sha256(handle)}`;

export async function startPendingSignIn(ctx: ProviderContext, pending: PendingSignIn): Promise<string> {
  const handle = randomHandle(32);
  await ctx.stores.grants.saveGrant({
    key: await keyOf(ctx, handle),
    type: TYPE,
    clientId: "",
    subjectId: pending.userId,
    familyId: null,
    data: { ...pending },
    expiresAt: new Date(ctx.now() + PENDING_LIFETIME * 1000),
    consumedAt: null,
  });
  return handle;
}

export type PendingState = { state: "live"; pending: PendingSignIn } | { state: "expired" } | { state: "none" };

export async function loadPendingSignIn(ctx: ProviderContext, handle: string | undefined): Promise<PendingState> {
  if (!handle || handle.length > 100) return { state: "none" };
  const found = await ctx.stores.grants.findGrant(await keyOf(ctx, handle));
  if (!found || found.type !== TYPE) return { state: "none" };
  if (found.consumedAt || (found.expiresAt && found.expiresAt.getTime() <= ctx.now())) return { state: "expired" };
  return { state: "live", pending: found.data as unknown as PendingSignIn };
}

export type CompletedSignIn = { ok: true; handle: string; userId: string; sessionId: string } | { ok: false; reason: "expired" };

/**
 * Completes a pending sign-in after its second factor was proven: starts the session with the
 * password's amr, `factorAmr` and "mfa". The passkey step calls this too.
 */
export async function completePendingSignIn(
  ctx: ProviderContext,
  pendingHandle: string | undefined,
  factorAmr: string[],
  meta: { ipAddress?: string; userAgent?: string; recordSuccess?: (userId: string, at: Date) => Promise<void> } = {},
): Promise<CompletedSignIn> {
  const loaded = await loadPendingSignIn(ctx, pendingHandle);
  if (loaded.state !== "live") return { ok: false, reason: "expired" };
  const { pending } = loaded;
  const now = ctx.now();
  if (!(await ctx.stores.grants.consumeGrant(await keyOf(ctx, pendingHandle!), new Date(now)))) return { ok: false, reason: "expired" };
  await meta.recordSuccess?.(pending.userId, new Date(now));
  if (pending.previousSessionId) await ctx.stores.sessions.revokeSession(pending.previousSessionId, new Date(now));
  const amr = [...new Set([...pending.amr, ...factorAmr, "mfa"])];
  const { session, handle } = await startSession(ctx, {
    userId: pending.userId,
    amr,
    ipAddress: meta.ipAddress,
    userAgent: meta.userAgent,
  });
  await ctx.stores.audit.record({
    type: "login_succeeded",
    subject: pending.userId,
    ipAddress: meta.ipAddress,
    details: { sessionId: session.id, amr },
  });
  return { ok: true, handle, userId: pending.userId, sessionId: session.id };
}
