import { z } from "zod";
import { scopeName } from "./common";

/**
 * The shape of a new password only: the rules (length from the settings, the common list, the
 * username) are lib/auth/password-policy.ts checkNewPassword, run where the user is known.
 */
export const newPassword = z.string().min(1, "Enter a password.").max(256, "Use at most 256 characters.");

export const userFields = z
  .object({
    username: z
      .string()
      .min(1, "Enter a username.")
      .max(100, "A username has at most 100 characters.")
      .regex(/^[^\s@][^\s]*$/, "A username has no spaces and does not start with @."),
    email: z
      .email("Enter an email address, such as name@example.com.")
      .max(254, "An email address has at most 254 characters.")
      .transform((e) => e.toLowerCase())
      .optional(),
    email_verified: z.boolean().default(false),
    /** plain password, hashed on import */
    password: newPassword.optional(),
    /** a stored hash from an export */
    password_hash: z
      .string()
      .regex(/^scrypt\$/, "must be a scrypt hash from an export")
      .optional(),
    claims: z.record(scopeName, z.unknown()).default({}),
    roles: z.array(scopeName).default([]),
    locked: z.boolean().default(false),
  })
  .strict();

export const userInput = userFields.refine((u) => !(u.password && u.password_hash), {
  message: "give password or password_hash, not both",
  path: ["password"],
});
export type UserInput = z.infer<typeof userInput>;

/** What the console and the admin API accept for a user: a password in plain (hashed there), never a hash. */
export const userAdminInput = userFields.omit({ password_hash: true });
export const passwordInput = z.object({ password: newPassword }).strict();
