/**
 * The portal's console-editable settings: one typed object with documented defaults.
 *
 * Stored as one JSON value per top-level key (signUp, password, mfa) in PortalSetting, so a
 * key written by an older version keeps its unknown fields out (parse strips them) and a missing
 * key takes its defaults.
 */
import { z } from "zod";
import { USER_EDITABLE_CLAIMS } from "../oidc";

const httpsUrl = z
  .url({ protocol: /^https$/, error: "Use an https:// address, such as https://example.com/terms." })
  .max(2000, "An address has at most 2000 characters.");

/** Claim names the sign-up form can ask for: the claims users may edit on /account. */
export const SIGN_UP_CLAIMS = USER_EDITABLE_CLAIMS;

export const signUpSettings = z.object({
  /** whether anyone may create an account at /interaction/signup (default off) */
  enabled: z.boolean().default(false),
  /** a new account cannot sign in until its email is verified (default on) */
  requireVerifiedEmail: z.boolean().default(true),
  /** claims the sign-up form requires, e.g. ["name"] (default none) */
  requiredClaims: z
    .array(z.enum(SIGN_UP_CLAIMS, { error: `Choose among: ${SIGN_UP_CLAIMS.join(", ")}.` }))
    .max(SIGN_UP_CLAIMS.length)
    .default([])
    .transform((c) => [...new Set(c)]),
  /** the terms of service the new user accepts (a checkbox links to it) */
  termsUrl: httpsUrl.optional(),
  /** the privacy notice the new user accepts */
  privacyUrl: httpsUrl.optional(),
});

export const MIN_PASSWORD_LENGTH = { min: 8, max: 64, default: 12 } as const;

export const passwordSettings = z.object({
  /** the shortest password accepted anywhere one is set (8..64, default 12) */
  minLength: z
    .number({ error: "Enter a whole number." })
    .int("Enter a whole number.")
    .min(MIN_PASSWORD_LENGTH.min, `Use at least ${MIN_PASSWORD_LENGTH.min}.`)
    .max(MIN_PASSWORD_LENGTH.max, `Use at most ${MIN_PASSWORD_LENGTH.max}.`)
    .default(MIN_PASSWORD_LENGTH.default),
});

export const mfaSettings = z.object({
  /** every user needs a second factor at sign-in (read by the sign-in policy; default off) */
  required: z.boolean().default(false),
});

export const portalSettings = z.object({
  signUp: signUpSettings.default(signUpSettings.parse({})),
  password: passwordSettings.default(passwordSettings.parse({})),
  mfa: mfaSettings.default(mfaSettings.parse({})),
});

export type PortalSettings = z.output<typeof portalSettings>;
export type PasswordPolicy = PortalSettings["password"];
export const SETTING_KEYS = ["signUp", "password", "mfa"] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

/** What an update accepts: any top-level key, each whole (a partial key would hide its defaults). */
export const portalSettingsUpdate = z
  .object({ signUp: signUpSettings.optional(), password: passwordSettings.optional(), mfa: mfaSettings.optional() })
  .strict();
export type PortalSettingsUpdate = z.input<typeof portalSettingsUpdate>;

export const DEFAULT_SETTINGS: PortalSettings = portalSettings.parse({});
