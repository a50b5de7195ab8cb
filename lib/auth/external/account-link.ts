/**
 * Linking another login to the signed-in user, from the account page (flow purpose "link").
 *
 * Rules:
 * - the link goes to the user whose session started the flow, and only while that same session is
 *   still active at the callback (the handshake checks it before any call to the upstream);
 * - a disabled or deleted provider links nobody;
 * - one link per provider per user: a user who already has a login at this provider is refused
 *   (provider_linked); checked when the flow starts, and decided again by the store under the
 *   user's row lock when the link is written;
 * - an upstream identity linked to another user is refused (identity_taken): the unique constraint
 *   on (provider, subject) decides; one already linked to this user is refused too
 *   (already_linked): nothing is written either way;
 * - the user's email and claims are never changed: a link is not a sign-in;
 * - audited: external_linked (provider, upstream subject, link) or external_link_refused (reason).
 */
import type { ExternalErrorCode } from "./errors";
import type { VerifiedIdentity } from "./identity";
import type { SignInDeps } from "./sign-in";

/** The CSRF purpose of the account page's "Link" forms (lib/auth/csrf.ts). */
export const LINK_FORM_PURPOSE = "external-link:account";

export type LinkDeps = Pick<SignInDeps, "store" | "audit" | "provider" | "now">;

export type LinkOutcome = { kind: "linked"; linkId: string } | { kind: "refused"; code: ExternalErrorCode };

export interface LinkingUser {
  userId: string;
  sessionId: string;
  /** the session's sign-in is recent enough for a sensitive action (settings.account.reauthAfter) */
  recent: boolean;
}

/** Whether `userId` may start linking `providerId`: null, or why not. */
export async function linkRefusal(deps: LinkDeps, userId: string, providerId: string): Promise<ExternalErrorCode | null> {
  const provider = await deps.provider(providerId);
  if (!provider?.enabled) return "provider_unavailable";
  const user = await deps.store.findUserById(userId);
  if (!user) return "session_changed";
  if (user.locked) return "account_locked";
  if ((await deps.store.listLinks(userId)).some((l) => l.providerId === provider.id)) return "provider_linked";
  return null;
}

/** Links the verified upstream identity to the user of the session that started the flow. */
export async function decideAccountLink(deps: LinkDeps, identity: VerifiedIdentity, who: LinkingUser): Promise<LinkOutcome> {
  const refused = await linkRefusal(deps, who.userId, identity.providerId);
  if (refused) return refuse(deps, identity, who, refused);
  const result = await deps.store.link(
    who.userId,
    { providerId: identity.providerId, subject: identity.subject, displayName: identity.name, email: identity.email, used: false },
    new Date(deps.now()),
  );
  if (result.status === "taken") return refuse(deps, identity, who, "identity_taken");
  if (result.status === "already_linked") return refuse(deps, identity, who, "already_linked");
  if (result.status === "provider_linked") return refuse(deps, identity, who, "provider_linked");
  await deps.audit.record({
    type: "external_linked",
    actor: who.userId,
    subject: who.userId,
    details: { provider: identity.providerId, upstreamSubject: identity.subject, linkId: result.link.id, from: "account_links" },
  });
  return { kind: "linked", linkId: result.link.id };
}

async function refuse(deps: LinkDeps, identity: VerifiedIdentity, who: LinkingUser, code: ExternalErrorCode): Promise<LinkOutcome> {
  await deps.audit.record({
    type: "external_link_refused",
    actor: who.userId,
    subject: who.userId,
    details: { provider: identity.providerId, upstreamSubject: identity.subject, reason: code, from: "account_links" },
  });
  return { kind: "refused", code };
}
