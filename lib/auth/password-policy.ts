/**
 * The one password rule, wherever a password is set: sign-up, reset, the account's change, the
 * console and admin API, the configuration import.
 *
 * Rules:
 * - at least `policy.minLength` characters (console setting, default 12), at most 256;
 * - not on the common-password list of @zxcvbn-ts/language-common (about 49,000 entries, shipped
 *   with the package: no network), compared case-insensitively; the list is loaded once;
 * - not containing the username or the email's local part (case-insensitive), for parts of at
 *   least 3 characters (shorter ones would refuse too much by chance);
 * - the answer is a plain-words message, or null when the password is accepted.
 * The zod `newPassword` (lib/schemas/user.ts) checks only the shape; this runs where the
 * username and email are known.
 */
import { dictionary } from "@zxcvbn-ts/language-common";
import { DEFAULT_SETTINGS, type PasswordPolicy } from "../settings/schema";

export const MAX_PASSWORD_LENGTH = 256;
export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = DEFAULT_SETTINGS.password;

let common: Set<string> | null = null;
function commonPasswords(): Set<string> {
  common ??= new Set((dictionary["passwords-common"] as string[]).map((p) => p.toLowerCase()));
  return common;
}

export type PasswordProblem = "too_short" | "too_long" | "common" | "personal";

/** What is wrong with a new password under the policy (the rules above), or null. */
export function passwordProblem(
  password: string,
  who: { username?: string | null; email?: string | null },
  policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
): PasswordProblem | null {
  // Characters as the person counts them, not UTF-16 units.
  const length = [...password].length;
  if (length < policy.minLength) return "too_short";
  if (length > MAX_PASSWORD_LENGTH) return "too_long";
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) return "common";
  const parts = [who.username, who.email?.split("@")[0]].map((p) => (p ?? "").toLowerCase()).filter((p) => p.length >= 3);
  if (parts.some((p) => lower.includes(p))) return "personal";
  return null;
}

export function passwordProblemMessage(problem: PasswordProblem, policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY): string {
  switch (problem) {
    case "too_short":
      return `Use at least ${policy.minLength} characters.`;
    case "too_long":
      return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
    case "common":
      return "This password is too common. Choose one that is harder to guess.";
    case "personal":
      return "Do not use your username or email address in your password.";
  }
}

/** The policy's answer in plain words, or null when the password is accepted. */
export function checkNewPassword(
  password: string,
  who: { username?: string | null; email?: string | null },
  policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
): string | null {
  const problem = passwordProblem(password, who, policy);
  return problem && passwordProblemMessage(problem, policy);
}
