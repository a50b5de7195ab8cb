/**
 * The signed-in user's recent security activity, from the audit log.
 *
 * Rules:
 * - only events whose audit subject is the signed-in user (the store filters by subject, on an
 *   index), of the types below: never another user's;
 * - only fields safe to show the person: what happened, when, the client address, browser and
 *   system of the session it started (the user's own sessions only), the provider's name; never
 *   actor ids, session ids or free-form details.
 */
import type { ProviderContext } from "../oidc";
import { sessionFromHandle } from "../oidc";
import type { AccountStore } from "./ports";
import { describeUserAgent } from "./user-agent";

/** What each event type says to the user. */
export const ACTIVITY_LABELS = {
  login_succeeded: "Signed in",
  login_failed: "Failed sign-in",
  sign_in_throttled: "Sign-ins slowed down after failures",
  reauthenticated: "Confirmed it was you",
  logout: "Signed out",
  logout_others: "Signed out all other sessions",
  password_changed: "Password changed",
  password_set: "Password set",
  "admin.user_password_set": "Password set by an administrator",
  "admin.user_locked": "Account locked by an administrator",
  "admin.user_unlocked": "Account unlocked by an administrator",
  "admin.sessions_revoked": "Sessions ended by an administrator",
  profile_updated: "Profile changed",
  consent_revoked: "App access revoked",
  external_linked: "Login linked",
  external_login_unlinked: "Login unlinked",
  passkey_added: "Passkey added",
  passkey_removed: "Passkey removed",
} as const;
export type ActivityType = keyof typeof ACTIVITY_LABELS;
const TYPES = Object.keys(ACTIVITY_LABELS);

export interface ActivityView {
  id: string;
  type: ActivityType;
  label: string;
  at: Date;
  ipAddress: string | null;
  /** browser and system of the session a sign-in started, when recorded */
  device: string | null;
  /** e.g. the provider of an upstream sign-in, the app of a revoked access, a failed sign-in's reason */
  detail: string | null;
}

const FAILURE_REASONS: Record<string, string> = {
  "wrong password": "wrong password",
  "no password": "no password set",
  "account locked": "account locked",
};

/** The signed-in user's last `limit` security events, newest first; null when not signed in. */
export async function myActivity(
  ctx: ProviderContext,
  store: AccountStore,
  sessionHandle: string | undefined,
  options: { limit?: number; providerName?: (id: string) => Promise<string | null> } = {},
): Promise<ActivityView[] | null> {
  const active = await sessionFromHandle(ctx, sessionHandle);
  if (!active) return null;
  const events = await store.listEvents(active.user.id, TYPES, Math.min(options.limit ?? 20, 100));
  const str = (v: unknown) => (typeof v === "string" ? v.slice(0, 200) : null);
  const sessionIds = events.flatMap((e) => (e.type === "login_succeeded" && str(e.details.sessionId) ? [str(e.details.sessionId)!] : []));
  const origins = new Map((await store.sessionOrigins(active.user.id, sessionIds)).map((s) => [s.id, s]));
  const providerName = options.providerName ?? (async () => null);
  return Promise.all(
    events.map(async (e): Promise<ActivityView> => {
      const type = e.type as ActivityType;
      const origin = e.type === "login_succeeded" ? origins.get(str(e.details.sessionId) ?? "") : undefined;
      const ua = origin ? describeUserAgent(origin.userAgent) : null;
      const provider = str(e.details.provider);
      let detail: string | null = null;
      if (provider) detail = `with ${(await providerName(provider)) ?? provider}`;
      else if (e.type === "login_failed") detail = FAILURE_REASONS[str(e.details.reason) ?? ""] ?? null;
      else if (e.type === "consent_revoked") detail = e.clientId;
      else if (e.type === "passkey_added" || e.type === "passkey_removed") detail = str(e.details.name);
      else if (e.type === "login_succeeded" && e.details.method === "passkey") detail = "with a passkey";
      return {
        id: e.id,
        type,
        label: ACTIVITY_LABELS[type],
        at: e.at,
        ipAddress: e.ipAddress ?? origin?.ipAddress ?? null,
        device: ua && origin?.userAgent ? `${ua.browser} on ${ua.os}` : null,
        detail,
      };
    }),
  );
}
