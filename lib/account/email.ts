/**
 * The signed-in user's email address: a new one waits in pendingEmail until its link is opened
 * (lib/lifecycle/service.ts requestEmailChange); the old one stays and is told.
 */
import type { ProviderContext } from "../oidc";
import { sessionFromHandle } from "../oidc";
import type { Lifecycle } from "../lifecycle/service";
import { recentlyAuthenticated } from "./reauth";

export type EmailChange = "sent" | "same" | "throttled" | "not_signed_in" | "reauth";

export async function changeMyEmail(
  ctx: ProviderContext,
  lifecycle: Lifecycle,
  sessionHandle: string | undefined,
  email: string,
  meta: { ipAddress?: string } = {},
): Promise<EmailChange> {
  const active = await sessionFromHandle(ctx, sessionHandle);
  if (!active) return "not_signed_in";
  // A stolen cookie must not move the account to another address (then reset its password).
  if (!recentlyAuthenticated(ctx, active)) return "reauth";
  return lifecycle.requestEmailChange(active.user.id, email, meta);
}

/** The address waiting for its link, for the profile page; null when none or not signed in. */
export async function myPendingEmail(
  ctx: ProviderContext,
  lifecycle: Lifecycle,
  sessionHandle: string | undefined,
): Promise<string | null> {
  const active = await sessionFromHandle(ctx, sessionHandle);
  return active ? lifecycle.pendingEmailOf(active.user.id) : null;
}
