/**
 * The signed-in user's profile: the claims the administrator lets users edit
 * (settings.account.editableClaims).
 *
 * Rules:
 * - only the editable claims are read from the form and written; every other claim, the
 *   username, email and email_verified stay as they are (the store merges in one statement);
 * - each value has a limit and a plain-words error (lib/schemas/account.ts CLAIM_RULES); an empty
 *   value removes the claim;
 * - a change is audited with the changed claims before and after, and drops the user caches of
 *   every instance (the "config" change stamp, and this one's at once), so userinfo and new ID
 *   tokens carry it.
 */
import type { ProviderContext, UserEditableClaim } from "../oidc";
import { sessionFromHandle } from "../oidc";
import { CLAIM_LABELS, fieldErrorCode, profileInput, type FieldErrorCode } from "../schemas/account";
import type { AccountStore } from "./ports";

export interface ProfileField {
  claim: UserEditableClaim;
  label: string;
  value: string;
}

export interface ProfileView {
  username: string;
  email: string | null;
  emailVerified: boolean;
  fields: ProfileField[];
}

const asText = (v: unknown) => (typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : "");

/** The signed-in user's profile with the editable claims; null when not signed in. */
export async function myProfile(ctx: ProviderContext, sessionHandle: string | undefined): Promise<ProfileView | null> {
  const active = await sessionFromHandle(ctx, sessionHandle);
  if (!active) return null;
  const { user } = active;
  return {
    username: user.username,
    email: user.email,
    emailVerified: user.emailVerified,
    fields: ctx.settings.account.editableClaims.map((claim) => ({ claim, label: CLAIM_LABELS[claim], value: asText(user.claims[claim]) })),
  };
}

export type ProfileUpdate =
  | { kind: "saved"; changed: string[] }
  | { kind: "invalid"; errors: Partial<Record<UserEditableClaim, FieldErrorCode>> }
  | { kind: "not_signed_in" };

/** Saves the editable claims of `raw` (the form's fields) for the signed-in user. */
export async function updateMyProfile(
  ctx: ProviderContext,
  store: AccountStore,
  sessionHandle: string | undefined,
  raw: Record<string, unknown>,
): Promise<ProfileUpdate> {
  const active = await sessionFromHandle(ctx, sessionHandle);
  if (!active) return { kind: "not_signed_in" };
  const editable = ctx.settings.account.editableClaims;
  const parsed = profileInput(editable).safeParse(raw);
  if (!parsed.success) {
    const errors: Partial<Record<UserEditableClaim, FieldErrorCode>> = {};
    for (const issue of parsed.error.issues) {
      const claim = issue.path[0] as UserEditableClaim;
      errors[claim] ??= fieldErrorCode(issue.message) ?? "too_long_name";
    }
    return { kind: "invalid", errors };
  }
  const before = active.user.claims;
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const claim of editable) {
    const value = parsed.data[claim];
    if (value === undefined || value === asText(before[claim])) continue;
    if (value === "") {
      if (claim in before) remove.push(claim);
    } else set[claim] = value;
  }
  const changed = [...Object.keys(set), ...remove];
  if (changed.length === 0) return { kind: "saved", changed };
  const after = await store.updateClaims(active.user.id, set, remove);
  if (!after) return { kind: "not_signed_in" };
  ctx.config.invalidate();
  const pick = (claims: Record<string, unknown>) => Object.fromEntries(changed.map((c) => [c, claims[c] ?? null]));
  await ctx.stores.audit.record({
    type: "profile_updated",
    actor: active.user.id,
    subject: active.user.id,
    details: { before: pick(before), after: pick(after), from: "account_profile" },
  });
  return { kind: "saved", changed };
}
