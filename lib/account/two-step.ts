/**
 * The account's two-step verification: the signed-in user's own authenticator app and
 * recovery codes.
 *
 * Rules:
 * - every function acts on the session's own user only (the forms name no user);
 * - setting up needs only the session (the first code proves the app); REMOVING the app and
 *   regenerating the recovery codes need a recent sign-in (recentlyAuthenticated, settings
 *   .account.reauthAfter): otherwise they do nothing and answer "reauth";
 * - enrolment, removal and regeneration are audited (lib/auth/factors).
 */
import type { ProviderContext } from "../oidc";
import { sessionFromHandle } from "../oidc";
import type { FactorService } from "../auth/factors";
import { recentlyAuthenticated } from "./reauth";

export async function myTwoStep(ctx: ProviderContext, factors: FactorService, sessionHandle: string | undefined) {
  const active = await sessionFromHandle(ctx, sessionHandle);
  if (!active) return null;
  const summary = await factors.factorsOf(active.user.id);
  return { ...summary, enrolment: summary.totp ? null : await factors.pendingEnrolment(active.user.id) };
}

export async function startMyTotp(ctx: ProviderContext, factors: FactorService, sessionHandle: string | undefined) {
  const active = await sessionFromHandle(ctx, sessionHandle);
  if (!active) return "not_signed_in" as const;
  // A new factor is a lasting key: only after a recent sign-in, and with the factor the user
  // already has (a passkey), never from a session that did not prove it.
  if (!recentlyAuthenticated(ctx, active)) return "reauth" as const;
  if ((await factors.hasSecondFactor(active.user.id)) && !active.session.amr.includes("mfa")) return "needs_mfa" as const;
  return (await factors.startTotpEnrolment(active.user.id)) === "exists" ? ("exists" as const) : ("started" as const);
}

export async function confirmMyTotp(
  ctx: ProviderContext,
  factors: FactorService,
  sessionHandle: string | undefined,
  code: string,
  meta: { ipAddress?: string } = {},
) {
  const active = await sessionFromHandle(ctx, sessionHandle);
  if (!active) return { ok: false as const, reason: "not_signed_in" as const };
  return factors.confirmTotpEnrolment(active.user.id, code.slice(0, 64), meta);
}

export async function regenerateMyRecoveryCodes(
  ctx: ProviderContext,
  factors: FactorService,
  sessionHandle: string | undefined,
  meta: { ipAddress?: string } = {},
): Promise<{ kind: "not_signed_in" | "reauth" | "no_totp" } | { kind: "done"; codes: string[] }> {
  const active = await sessionFromHandle(ctx, sessionHandle);
  if (!active) return { kind: "not_signed_in" };
  if (!recentlyAuthenticated(ctx, active)) return { kind: "reauth" };
  const codes = await factors.regenerateRecoveryCodes(active.user.id, meta);
  return codes ? { kind: "done", codes } : { kind: "no_totp" };
}

export async function removeMyTotp(
  ctx: ProviderContext,
  factors: FactorService,
  sessionHandle: string | undefined,
  meta: { ipAddress?: string } = {},
): Promise<"not_signed_in" | "reauth" | "removed" | "none"> {
  const active = await sessionFromHandle(ctx, sessionHandle);
  if (!active) return "not_signed_in";
  if (!recentlyAuthenticated(ctx, active)) return "reauth";
  return (await factors.removeTotp(active.user.id, meta)) ? "removed" : "none";
}
