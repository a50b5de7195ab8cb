import { z } from "zod";
import { USER_EDITABLE_CLAIMS, type UserEditableClaim } from "../oidc";
import { newPassword } from "./user";

/** The account area's forms: a CSRF token, and what the form acts on. */
export const accountFormInput = z.object({ csrf: z.string().max(200) });
export const endSessionInput = accountFormInput.extend({ session: z.string().min(1).max(100) });
export const unlinkInput = accountFormInput.extend({ link: z.string().min(1).max(100) });
export const revokeAppInput = accountFormInput.extend({ client: z.string().min(1).max(200) });

/** The outcome a form sends back to the page (`?notice=`), and what the page says for it. */
export const ACCOUNT_NOTICES = {
  session_ended: "The session was signed out.",
  others_ended: "Your other sessions were signed out.",
  session_not_found: "That session is not one of your active sessions.",
  app_revoked: "The app's access was revoked.",
  app_not_found: "That app has no access to revoke.",
  unlinked: "The login was unlinked.",
  linked: "The login was linked: you can now sign in with it.",
  link_not_found: "That login is not linked to your account.",
  last_login: "This is your only way to sign in: set a password or link another login first.",
  expired_form: "The form expired. Please try again.",
  profile_saved: "Your profile was saved.",
  profile_invalid: "Some fields need a change: see below.",
  password_changed: "Your password was changed. Your other sessions were signed out.",
  password_set: "Your password was set. Your other sessions were signed out.",
  password_invalid: "The password was not changed: see below.",
  email_sent: "We sent a link to the new address. Your email changes once you open it; until then the old one stays.",
  email_same: "That is already your email address.",
  email_throttled: "A link was sent a moment ago. Wait a minute, then try again.",
  email_invalid: "Enter an email address, such as name@example.com.",
  password_exists: "Your account already has a password: change it with the current one.",
  reauthenticated: "Thank you. Now repeat what you were doing.",
  // two-step verification (issue 11)
  totp_removed: "The authenticator app was removed. You sign in with your password alone now.",
  totp_needs_mfa: "Sign in with your passkey first (sign out, then use it), then set up an authenticator app.",
  totp_exists: "An authenticator app is already set up. Remove it first to set up another.",
  passkey_added: "The passkey was added: you can now sign in with it.",
  passkey_renamed: "The passkey was renamed.",
  passkey_removed: "The passkey was removed: it no longer signs in to this account.",
  passkey_not_found: "That passkey is not one of yours.",
  passkey_name_invalid: "Give the passkey a name of at most 60 characters, without control characters.",
} as const;
export type AccountNotice = keyof typeof ACCOUNT_NOTICES;

// ---- the account's own forms: profile, password, re-authentication (issue 10) ----

/**
 * The plain-words field errors of the account forms. They travel back to the page as their code
 * (`?field_error=name:too_long`), never as free text.
 */
export const FIELD_ERRORS = {
  too_long_name: "Use at most 200 characters.",
  too_long_short: "Use at most 50 characters.",
  https: "Enter an address starting with https://, such as https://example.com/me.png.",
  locale: "Enter a language tag such as en or pt-BR.",
  zoneinfo: "Enter a time zone such as Europe/Paris.",
  birthdate: "Enter a date as YYYY-MM-DD, such as 1990-04-23.",
  username_spaces: "A username has no spaces.",
  current: "Enter your current password.",
  current_wrong: "That is not your current password.",
  throttled: "Too many attempts. Wait a few minutes, then try again.",
  too_short: "This password is too short: see the length below.",
  too_long: "Use at most 256 characters.",
  common: "This password is too common. Choose one that is harder to guess.",
  personal: "Do not use your username or email address in your password.",
  password_empty: "Enter a password.",
  email_invalid: "Enter an email address, such as name@example.com.",
  too_long_password: "Use at most 256 characters.",
  mismatch: "The two passwords do not match.",
  password: "Enter your password.",
  wrong_password: "That password is not right.",
} as const;
export type FieldErrorCode = keyof typeof FIELD_ERRORS;

/** The code of a field error message (the form's zod issues carry the message). */
export function fieldErrorCode(message: string): FieldErrorCode | null {
  return (Object.entries(FIELD_ERRORS).find(([, m]) => m === message)?.[0] as FieldErrorCode | undefined) ?? null;
}

const text = (max: number, message: string) => z.string().max(max, message);
const https = z
  .string()
  .max(2000, "Use at most 2000 characters.")
  .refine((v) => {
    try {
      return new URL(v).protocol === "https:" && v.startsWith("https://");
    } catch {
      return false;
    }
  }, FIELD_ERRORS.https);
const validLocale = (v: string) => {
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,4}$/.test(v)) return false;
  try {
    return Intl.getCanonicalLocales(v).length === 1;
  } catch {
    return false;
  }
};
const validZone = (v: string) => {
  if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+){0,2}$/.test(v) || v.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: v });
    return true;
  } catch {
    return false;
  }
};
const validDate = (v: string) => {
  if (/^\d{4}$/.test(v)) return true;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
};

/** What each editable claim accepts (OpenID Connect Core 5.1); an empty value removes the claim. */
export const CLAIM_RULES: Record<UserEditableClaim, z.ZodType<string, string>> = {
  name: text(200, FIELD_ERRORS.too_long_name),
  given_name: text(200, FIELD_ERRORS.too_long_name),
  family_name: text(200, FIELD_ERRORS.too_long_name),
  middle_name: text(200, FIELD_ERRORS.too_long_name),
  nickname: text(200, FIELD_ERRORS.too_long_name),
  preferred_username: text(200, FIELD_ERRORS.too_long_name).regex(/^\S*$/, FIELD_ERRORS.username_spaces),
  profile: https,
  picture: https,
  website: https,
  gender: text(50, FIELD_ERRORS.too_long_short),
  birthdate: z.string().max(10, FIELD_ERRORS.birthdate).refine(validDate, FIELD_ERRORS.birthdate),
  zoneinfo: z.string().max(64, FIELD_ERRORS.zoneinfo).refine(validZone, FIELD_ERRORS.zoneinfo),
  locale: z.string().max(35, FIELD_ERRORS.locale).refine(validLocale, FIELD_ERRORS.locale),
};

/** How the profile page labels each claim. */
export const CLAIM_LABELS: Record<UserEditableClaim, string> = {
  name: "Full name",
  given_name: "First name",
  family_name: "Last name",
  middle_name: "Middle name",
  nickname: "Nickname",
  preferred_username: "Preferred username",
  profile: "Profile page",
  picture: "Picture (https address)",
  website: "Website",
  gender: "Gender",
  birthdate: "Birth date",
  zoneinfo: "Time zone",
  locale: "Language",
};

/**
 * The profile form for the claims the administrator lets users edit: each value trimmed, empty
 * for "remove"; claims not in `editable` are not part of the schema, so they are never written.
 */
export function profileInput(editable: readonly UserEditableClaim[]) {
  const shape: Record<string, z.ZodType<string | undefined, string | undefined>> = {};
  for (const claim of editable) {
    shape[claim] = z
      .string()
      .max(4000, FIELD_ERRORS.too_long_name)
      .transform((v) => v.trim())
      .pipe(z.union([z.literal(""), CLAIM_RULES[claim]]))
      .optional();
  }
  return z.object(shape);
}

const confirmed = <T extends { password: string; confirm: string }>(v: T) => v.password === v.confirm;

export const changePasswordInput = accountFormInput
  .extend({
    current: z.string().min(1, FIELD_ERRORS.current).max(256, FIELD_ERRORS.too_long_password),
    password: newPassword,
    confirm: z.string().max(256, FIELD_ERRORS.too_long_password),
  })
  .refine(confirmed, { message: FIELD_ERRORS.mismatch, path: ["confirm"] });

export const setPasswordInput = accountFormInput
  .extend({ password: newPassword, confirm: z.string().max(256, FIELD_ERRORS.too_long_password) })
  .refine(confirmed, { message: FIELD_ERRORS.mismatch, path: ["confirm"] });

export const reauthInput = accountFormInput.extend({
  password: z.string().min(1, FIELD_ERRORS.password).max(256, FIELD_ERRORS.too_long_password),
  next: z.string().max(500).optional(),
});

/** `account` in the configuration file's `settings` (lib/oidc/config.ts AccountSettings). */
export const accountSettingsInput = z
  .object({
    editableClaims: z
      .array(z.enum(USER_EDITABLE_CLAIMS))
      .max(USER_EDITABLE_CLAIMS.length)
      .refine((a) => new Set(a).size === a.length, "each claim once")
      .optional()
      .describe("the claims users edit on /account (standard OpenID Connect profile claims; never sub, email or email_verified)"),
    reauthAfter: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60 * 60)
      .optional()
      .describe("seconds after a sign-in during which sensitive account actions need no new one"),
  })
  .strict();
