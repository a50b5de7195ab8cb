/**
 * What a verified upstream identity means here: which local user signs in, or why nobody does.
 *
 * Rules, in order:
 * - a disabled or deleted provider signs nobody in;
 * - already linked: that user signs in (a locked user is refused); the mapped claims, the link's
 *   name, email and last use are updated;
 * - a local account has the upstream's email (first_login `link` or `create_or_link`): the link is
 *   made silently only when the provider has trust_email, the upstream says the address is
 *   verified and the local address is verified too; otherwise the person must prove the local
 *   account is theirs with its password (`linkAfterPasswordProof`, in the same flow). An
 *   unverified email never links by itself. A user has at most one link per provider: a second
 *   upstream identity at the same provider is refused (provider_linked), decided by the store; With first_login `create` such an email is refused:
 *   that policy only ever creates users;
 * - otherwise, with first_login `create` or `create_or_link`, a user is created from the mapped
 *   claims (a unique username, no password; the email kept only when the upstream verified it);
 *   with `link` there is no account;
 * - every outcome is audited: external_login_succeeded, external_login_linked,
 *   external_login_created, external_login_link_required, external_login_refused.
 */
import type { AuditSink } from "../../oidc";
import type { ExternalErrorCode } from "./errors";
import type { Handoffs } from "./flow";
import type { VerifiedIdentity } from "./identity";
import type { ExternalLoginRecord, ExternalUser, IdentityProviderStore } from "./ports";
import type { ResolvedProvider } from "./settings";

/** No RFC 8176 value names a federated sign-in; sessions started this way say "fed" unless the upstream said more. */
export const FEDERATED_AMR = "fed";
/** how long a person has to give the local password after the upstream sign-in */
export const PENDING_LINK_SECONDS = 10 * 60;

export type ExternalOutcome =
  | { kind: "signed_in"; userId: string; providerId: string; linkId: string; amr: string[]; created: boolean; linked: boolean }
  /**
   * ask for the password of the local account with `email` (the address the person just signed in
   * with upstream; the local username is not disclosed), then call linkAfterPasswordProof
   */
  | { kind: "needs_password_proof"; providerId: string; pendingLink: string; email: string }
  | { kind: "refused"; code: ExternalErrorCode; providerId?: string };

export interface SignInDeps {
  store: IdentityProviderStore;
  audit: AuditSink;
  handoffs: Handoffs;
  /** the provider's current settings (enabled or not); null when deleted */
  provider(id: string): Promise<Pick<ResolvedProvider, "id" | "enabled" | "trustEmail" | "firstLogin"> | null>;
  now(): number;
}

/** Where the flow stands: the interaction it belongs to and the hash of its browser binding. */
export interface FlowContext {
  interactionId: string;
  bindingHash: string;
}

interface PendingLink extends FlowContext {
  identity: VerifiedIdentity;
  userId: string;
}

export async function decideExternalSignIn(deps: SignInDeps, identity: VerifiedIdentity, flow: FlowContext): Promise<ExternalOutcome> {
  const provider = await deps.provider(identity.providerId);
  if (!provider?.enabled) return refuse(deps, identity, "provider_unavailable");
  return decide(deps, provider, identity, flow, 0);
}

async function decide(
  deps: SignInDeps,
  provider: NonNullable<Awaited<ReturnType<SignInDeps["provider"]>>>,
  identity: VerifiedIdentity,
  flow: FlowContext,
  retry: number,
): Promise<ExternalOutcome> {
  const existing = await deps.store.findLink(identity.providerId, identity.subject);
  if (existing) {
    if (existing.user.locked) return refuse(deps, identity, "account_locked", existing.user.id);
    return signedIn(deps, identity, existing.user, existing.link, { created: false, linked: false });
  }

  const local = identity.email ? await deps.store.findUserByEmail(identity.email) : null;
  if (local) {
    if (provider.firstLogin === "create") return refuse(deps, identity, "email_in_use", local.id);
    if (local.locked) return refuse(deps, identity, "account_locked", local.id);
    if (provider.trustEmail && identity.emailVerified && local.emailVerified) return linkAndSignIn(deps, identity, local, "trusted_email");
    const pending: PendingLink = { ...flow, identity, userId: local.id };
    const pendingLink = await deps.handoffs.put("link", pending as unknown as Record<string, unknown>, PENDING_LINK_SECONDS);
    await deps.audit.record({
      type: "external_login_link_required",
      subject: local.id,
      details: details(identity, { reason: linkReason(provider.trustEmail, identity, local) }),
    });
    return { kind: "needs_password_proof", providerId: identity.providerId, pendingLink, email: identity.email! };
  }

  if (provider.firstLogin === "link") return refuse(deps, identity, "no_account");
  const result = await deps.store.createUserWithLink({
    usernames: usernameCandidates(identity),
    email: identity.emailVerified ? identity.email : null,
    emailVerified: identity.emailVerified,
    claims: identity.claims,
    link: newLink(identity),
    at: new Date(deps.now()),
  });
  if (result.status === "created") {
    await deps.audit.record({
      type: "external_login_created",
      subject: result.user.id,
      details: details(identity, { username: result.user.username }),
    });
    await deps.audit.record({
      type: "external_login_succeeded",
      subject: result.user.id,
      details: details(identity, { linkId: result.link.id }),
    });
    return {
      kind: "signed_in",
      userId: result.user.id,
      providerId: identity.providerId,
      linkId: result.link.id,
      amr: amrOf(identity),
      created: true,
      linked: true,
    };
  }
  // A concurrent first sign-in won (the same identity, or someone took the email): decide again.
  if (retry < 1) return decide(deps, provider, identity, flow, retry + 1);
  return refuse(deps, identity, "server_error");
}

/**
 * Completes a link that needed the local password: `provenUserId` is the user whose password the
 * person has just given (the caller checks the password, with its throttling). Refused when the
 * pending link is unknown, expired, used, from another browser or interaction, or for another user.
 */
export async function linkAfterPasswordProof(
  deps: SignInDeps,
  input: { pendingLink: string; provenUserId: string } & FlowContext,
): Promise<ExternalOutcome> {
  const data = await deps.handoffs.take(
    "link",
    input.pendingLink,
    (d) => d.bindingHash === input.bindingHash && d.interactionId === input.interactionId,
  );
  if (!data) return { kind: "refused", code: "bad_state" };
  const pending = data as unknown as PendingLink;
  const identity = pending.identity;
  if (pending.userId !== input.provenUserId) return refuse(deps, identity, "wrong_account", input.provenUserId);
  const provider = await deps.provider(identity.providerId);
  if (!provider?.enabled) return refuse(deps, identity, "provider_unavailable");
  const user = await deps.store.findUserById(input.provenUserId);
  if (!user) return refuse(deps, identity, "no_account");
  if (user.locked) return refuse(deps, identity, "account_locked", user.id);
  return linkAndSignIn(deps, identity, user, "password");
}

async function linkAndSignIn(
  deps: SignInDeps,
  identity: VerifiedIdentity,
  user: ExternalUser,
  how: "trusted_email" | "password",
): Promise<ExternalOutcome> {
  const result = await deps.store.link(user.id, newLink(identity), new Date(deps.now()));
  if (result.status === "taken") return refuse(deps, identity, "identity_taken", user.id);
  if (result.status === "provider_linked") return refuse(deps, identity, "provider_linked", user.id);
  if (result.status === "linked")
    await deps.audit.record({
      type: "external_login_linked",
      subject: user.id,
      details: details(identity, { linkId: result.link.id, how }),
    });
  return signedIn(deps, identity, user, result.link, { created: false, linked: result.status === "linked" });
}

async function signedIn(
  deps: SignInDeps,
  identity: VerifiedIdentity,
  user: ExternalUser,
  link: ExternalLoginRecord,
  how: { created: boolean; linked: boolean },
): Promise<ExternalOutcome> {
  await deps.store.recordSignIn(link.id, {
    at: new Date(deps.now()),
    displayName: identity.name,
    email: identity.email,
    claims: identity.claims,
  });
  await deps.audit.record({ type: "external_login_succeeded", subject: user.id, details: details(identity, { linkId: link.id }) });
  return { kind: "signed_in", userId: user.id, providerId: identity.providerId, linkId: link.id, amr: amrOf(identity), ...how };
}

async function refuse(deps: SignInDeps, identity: VerifiedIdentity, code: ExternalErrorCode, userId?: string): Promise<ExternalOutcome> {
  await deps.audit.record({
    type: "external_login_refused",
    ...(userId ? { subject: userId } : {}),
    details: details(identity, { reason: code }),
  });
  return { kind: "refused", code, providerId: identity.providerId };
}

function details(identity: VerifiedIdentity, more: Record<string, unknown>): Record<string, unknown> {
  return { provider: identity.providerId, upstreamSubject: identity.subject, ...more };
}

function linkReason(trustEmail: boolean, identity: VerifiedIdentity, local: ExternalUser): string {
  if (!trustEmail) return "provider emails are not trusted";
  if (!identity.emailVerified) return "upstream email not verified";
  if (!local.emailVerified) return "local email not verified";
  return "password proof required";
}

const newLink = (identity: VerifiedIdentity) => ({
  providerId: identity.providerId,
  subject: identity.subject,
  displayName: identity.name,
  email: identity.email,
});

/**
 * The upstream's own methods when it names them, except "mfa": a claim we cannot check must not
 * satisfy require_mfa or acr_values here (an external sign-in is urn:portcullis:acr:sfa).
 */
const amrOf = (identity: VerifiedIdentity): string[] => {
  const own = (identity.amr ?? []).filter((m) => m !== "mfa");
  return own.length ? own : [FEDERATED_AMR];
};

/** Usernames to try for a new user, best first: the upstream's username, the email's local part, the name. */
export function usernameCandidates(identity: VerifiedIdentity): string[] {
  const clean = (v: string | null | undefined) =>
    (v ?? "")
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, "-")
      .replace(/^[-._]+|[-._]+$/g, "")
      .slice(0, 40);
  const base =
    [identity.usernameHint, identity.email?.split("@")[0], identity.name].map(clean).find((v) => v.length >= 2) ??
    `${identity.providerId}-user`;
  return [base, `${base}-2`, `${base}-3`];
}
