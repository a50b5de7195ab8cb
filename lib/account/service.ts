/** The signed-in user's own view of their account and session. */
import type { ProviderContext } from "../oidc";
import { afterLogout, endBrowserSession, Pages, revokeFamily, sessionFromHandle } from "../oidc";
import type { AccountLink, AccountStore, UnlinkResult } from "./ports";
import { describeUserAgent } from "./user-agent";
import { recentlyAuthenticated } from "./reauth";

export { myProfile, updateMyProfile, type ProfileUpdate, type ProfileView } from "./profile";
export { changeMyPassword, myPasswordState, setMyPassword } from "./password";
export { myActivity, type ActivityView } from "./activity";
export { reauthView, reauthenticateWithPassword, reauthenticateWithUpstream, recentlyAuthenticated, safeNext } from "./reauth";

export async function accountView(ctx: ProviderContext, sessionHandle: string | undefined) {
  const active = await sessionFromHandle(ctx, sessionHandle);
  if (!active) return null;
  const clients = await Promise.all(active.session.clients.map(async (id) => (await ctx.config.client(id))?.clientName ?? id));
  return {
    user: {
      name: (active.user.claims.name as string | undefined) ?? active.user.username,
      username: active.user.username,
      email: active.user.email,
    },
    session: { authTime: active.session.authTime, expiresAt: active.session.expiresAt, clients },
  };
}

/** Ends the browser's session (the account page's sign-out); returns where the browser goes (front-channel logout first). */
export async function signOut(ctx: ProviderContext, sessionHandle: string | undefined): Promise<string> {
  const active = await sessionFromHandle(ctx, sessionHandle);
  await endBrowserSession(ctx, active, { from: "account" });
  return afterLogout(ctx, active?.session ?? null, ctx.settings.issuer + Pages.signedOut);
}

// ---- sessions: the signed-in user's own, decided here and in the store, never by the page ----

export interface SessionView {
  id: string;
  authTime: Date;
  lastSeenAt: Date;
  ipAddress: string | null;
  browser: string;
  os: string;
  current: boolean;
}

/** Every active session of the signed-in user, this one marked; null when not signed in. */
export async function mySessions(
  ctx: ProviderContext,
  store: AccountStore,
  sessionHandle: string | undefined,
): Promise<SessionView[] | null> {
  const active = await sessionFromHandle(ctx, sessionHandle);
  if (!active) return null;
  const sessions = await store.listSessions(active.user.id, new Date(ctx.now()));
  return sessions.map((s) => ({
    id: s.id,
    authTime: s.authTime,
    lastSeenAt: s.lastSeenAt,
    ipAddress: s.ipAddress,
    ...describeUserAgent(s.userAgent),
    current: s.id === active.session.id,
  }));
}

export type EndSessionResult = "ended" | "not_signed_in" | "not_found" | "current";

/**
 * Ends one session of the signed-in user. Only their own: the store revokes where the id AND
 * the user match, so a forged id of another user's session is refused and changes nothing.
 * This browser's own session goes through the ordinary sign-out instead.
 */
export async function endMySession(
  ctx: ProviderContext,
  store: AccountStore,
  sessionHandle: string | undefined,
  sessionId: string,
): Promise<EndSessionResult> {
  const active = await sessionFromHandle(ctx, sessionHandle);
  if (!active) return "not_signed_in";
  if (sessionId === active.session.id) return "current";
  if (!(await store.revokeSession(active.user.id, sessionId, new Date(ctx.now())))) return "not_found";
  await ctx.stores.audit.record({
    type: "logout",
    actor: active.user.id,
    subject: active.user.id,
    details: { sessionId, from: "account_sessions" },
  });
  return "ended";
}

/**
 * Ends every other session of the signed-in user; how many, null when not signed in, "reauth"
 * when the sign-in is too old for it (lib/account/reauth.ts).
 */
export async function endMyOtherSessions(
  ctx: ProviderContext,
  store: AccountStore,
  sessionHandle: string | undefined,
): Promise<number | null | "reauth"> {
  const active = await sessionFromHandle(ctx, sessionHandle);
  if (!active) return null;
  if (!recentlyAuthenticated(ctx, active)) return "reauth";
  const count = await store.revokeOtherSessions(active.user.id, active.session.id, new Date(ctx.now()));
  await ctx.stores.audit.record({
    type: "logout_others",
    actor: active.user.id,
    subject: active.user.id,
    details: { kept: active.session.id, count, from: "account_sessions" },
  });
  return count;
}

// ---- connected apps: the clients the user granted (remembered consents) ----

export interface AppView {
  clientId: string;
  name: string;
  logoUri: string | null;
  scopes: string[];
  grantedAt: Date;
}

/** The apps the signed-in user granted; null when not signed in. */
export async function myApps(ctx: ProviderContext, store: AccountStore, sessionHandle: string | undefined): Promise<AppView[] | null> {
  const active = await sessionFromHandle(ctx, sessionHandle);
  if (!active) return null;
  const consents = await store.listConsents(active.user.id);
  return Promise.all(
    consents.map(async (c) => {
      const client = await ctx.config.client(c.clientId);
      return {
        clientId: c.clientId,
        name: client?.clientName ?? c.clientId,
        logoUri: client?.logoUri ?? null,
        scopes: c.scopes,
        grantedAt: c.grantedAt,
      };
    }),
  );
}

export type RevokeAppResult = "revoked" | "not_signed_in" | "not_found";

/**
 * Revokes an app for the signed-in user: the remembered consent and the user's codes, refresh
 * and reference tokens of that client go, and their grant families' JWT access tokens are
 * refused from now on. Only the user's own grants: the store deletes by user and client.
 */
export async function revokeMyApp(
  ctx: ProviderContext,
  store: AccountStore,
  sessionHandle: string | undefined,
  clientId: string,
): Promise<RevokeAppResult> {
  const active = await sessionFromHandle(ctx, sessionHandle);
  if (!active) return "not_signed_in";
  const { removed, familyIds } = await store.removeClientGrants(active.user.id, clientId);
  for (const familyId of familyIds) await revokeFamily(ctx, familyId);
  if (!removed) return "not_found";
  await ctx.stores.audit.record({
    type: "consent_revoked",
    actor: active.user.id,
    subject: active.user.id,
    clientId,
    details: { removed, families: familyIds.length, from: "account_apps" },
  });
  return "revoked";
}

// ---- linked logins: the user's accounts at external identity providers ----

export interface LinkView extends AccountLink {
  /** the provider's display name, or its id when it is no longer configured */
  providerName: string;
}

/** The signed-in user's external logins; null when not signed in. */
export async function myLinks(
  ctx: ProviderContext,
  store: AccountStore,
  sessionHandle: string | undefined,
  providerName: (id: string) => Promise<string | null> = async () => null,
): Promise<LinkView[] | null> {
  const active = await sessionFromHandle(ctx, sessionHandle);
  if (!active) return null;
  const links = await store.listLinks(active.user.id);
  return Promise.all(links.map(async (l) => ({ ...l, providerName: (await providerName(l.provider)) ?? l.provider })));
}

export interface LinkOption {
  id: string;
  displayName: string;
  /** the preset's mark (github, google, microsoft, gitlab), or null */
  icon: string | null;
}

/**
 * The providers the signed-in user may link (the account page's "Link" buttons): the enabled ones
 * they have no login at yet, since a user has at most one link per provider. Null when not signed
 * in. The handshake checks all of it again when the form is posted and at the callback.
 */
export async function myLinkOptions(
  ctx: ProviderContext,
  store: AccountStore,
  sessionHandle: string | undefined,
  enabledProviders: readonly LinkOption[],
): Promise<LinkOption[] | null> {
  const active = await sessionFromHandle(ctx, sessionHandle);
  if (!active) return null;
  const linked = new Set((await store.listLinks(active.user.id)).map((l) => l.provider));
  return enabledProviders.filter((p) => !linked.has(p.id)).map(({ id, displayName, icon }) => ({ id, displayName, icon }));
}

/**
 * Unlinks one of the signed-in user's external logins; the store refuses the last way to sign
 * in. Sensitive: "reauth" when the sign-in is too old (lib/account/reauth.ts).
 */
export async function unlinkMyLogin(
  ctx: ProviderContext,
  store: AccountStore,
  sessionHandle: string | undefined,
  linkId: string,
): Promise<UnlinkResult | "not_signed_in" | "reauth"> {
  const active = await sessionFromHandle(ctx, sessionHandle);
  if (!active) return "not_signed_in";
  if (!recentlyAuthenticated(ctx, active)) return "reauth";
  const result = await store.unlink(active.user.id, linkId);
  await ctx.stores.audit.record({
    type: result === "unlinked" ? "external_login_unlinked" : "external_login_unlink_refused",
    actor: active.user.id,
    subject: active.user.id,
    details: { linkId, result, from: "account_links" },
  });
  return result;
}
