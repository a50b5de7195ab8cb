/**
 * Browser sessions for single sign-on.
 *
 * Rules:
 * - the cookie holds a random 256-bit handle; the store keeps only its hash;
 * - HttpOnly, SameSite=Lax (the authorization redirect is a top-level cross-site navigation),
 *   Secure when the issuer is https;
 * - a session is read from the store on every use, never cached, so a revoked or expired session
 *   is refused at once on every instance;
 * - every use marks it seen (lastSeenAt) at most once per TOUCH_INTERVAL: only when the row read
 *   is older, and then by one conditional update, so concurrent requests write once.
 */
import { Cookies } from "./constants";
import type { ProviderContext } from "./context";
import { readCookie, serializeCookie } from "./cookies";
import { randomHandle } from "./crypto";
import type { SessionRecord, UserRecord } from "./ports";

export interface ActiveSession {
  session: SessionRecord;
  user: UserRecord;
}

export async function sessionKey(ctx: Pick<ProviderContext, "sha256">, handle: string): Promise<string> {
  return ctx.sha256("session:" + handle);
}

export function isSecure(ctx: ProviderContext): boolean {
  return ctx.settings.issuer.startsWith("https:");
}

/** The signed-in session of the request's browser, or null. */
export async function currentSession(ctx: ProviderContext, req: Request): Promise<ActiveSession | null> {
  return sessionFromHandle(ctx, readCookie(req, Cookies.session));
}

/** How often a session's lastSeenAt is written at most (ms). */
export const TOUCH_INTERVAL = 60_000;

export async function sessionFromHandle(ctx: ProviderContext, handle: string | undefined): Promise<ActiveSession | null> {
  if (!handle || handle.length > 100) return null;
  const session = await ctx.stores.sessions.findSessionByKey(await sessionKey(ctx, handle));
  const now = ctx.now();
  if (!session || session.revokedAt || session.expiresAt.getTime() <= now) return null;
  const user = await ctx.stores.users.findUser(session.userId);
  if (!user || user.locked) return null;
  if (now - session.lastSeenAt.getTime() >= TOUCH_INTERVAL) {
    await ctx.stores.sessions.touchSession(session.id, new Date(now), new Date(now - TOUCH_INTERVAL + 1));
    session.lastSeenAt = new Date(now);
  }
  return { session, user };
}

/** Attributes of the session cookie, for frameworks that set cookies themselves. */
export function sessionCookieOptions(ctx: ProviderContext) {
  return {
    name: Cookies.session,
    httpOnly: true,
    sameSite: "lax" as const,
    secure: isSecure(ctx),
    path: "/",
    maxAge: ctx.settings.sessionLifetime,
  };
}

/** Starts a session after the user authenticated; returns the cookie's value. */
export async function startSession(
  ctx: ProviderContext,
  input: { userId: string; amr: string[]; idp?: string; ipAddress?: string; userAgent?: string },
): Promise<{ session: SessionRecord; handle: string }> {
  const handle = randomHandle(32);
  const now = ctx.now();
  const session = await ctx.stores.sessions.createSession({
    key: await sessionKey(ctx, handle),
    userId: input.userId,
    authTime: new Date(now),
    amr: input.amr,
    ...(input.idp ? { idp: input.idp } : {}),
    expiresAt: new Date(now + ctx.settings.sessionLifetime * 1000),
    ipAddress: input.ipAddress,
    userAgent: input.userAgent?.slice(0, 500),
  });
  return { session, handle };
}

export function clearSessionCookie(ctx: ProviderContext): string {
  return serializeCookie(Cookies.session, "", { secure: isSecure(ctx), sameSite: "Lax", maxAge: 0 });
}

/**
 * Ends a browser's session, the one way every sign-out goes (end-session endpoint, the logout
 * page, the account page): the session is revoked (refused at once on every instance) and the
 * sign-out audited. The caller clears the cookie.
 */
export async function endBrowserSession(
  ctx: ProviderContext,
  active: ActiveSession | null,
  details: { clientId?: string; from: "end_session" | "logout_page" | "account" },
): Promise<void> {
  if (!active) return;
  await ctx.stores.sessions.revokeSession(active.session.id, new Date(ctx.now()));
  await ctx.stores.audit.record({
    type: "logout",
    subject: active.user.id,
    clientId: details.clientId,
    details: { sessionId: active.session.id, from: details.from },
  });
}
