/** The account lifecycle's forms: sign-up, forgot password, reset, email change. Shape only. */
import { z } from "zod";
import { newPassword, userFields } from "./user";

const csrf = z.string().max(200);
const interaction = z.string().max(100).optional();

export const signUpInput = z.object({
  csrf,
  interaction,
  username: userFields.shape.username.refine((u) => !u.includes("@"), "A username has no @: that is for email addresses."),
  email: z
    .email("Enter an email address, such as name@example.com.")
    .max(254, "An email address has at most 254 characters.")
    .transform((e) => e.toLowerCase()),
  password: newPassword,
  confirm: z.string().max(256, "Use at most 256 characters."),
  accept: z.string().max(10).optional(),
});
export type SignUpInput = z.infer<typeof signUpInput>;

export const forgotInput = z.object({
  csrf,
  interaction,
  login: z.string().trim().min(1, "Enter your username or email.").max(254, "That is too long."),
});

export const resetInput = z.object({
  csrf,
  token: z.string().min(1).max(100),
  password: newPassword,
  confirm: z.string().max(256, "Use at most 256 characters."),
});

export const tokenFormInput = z.object({ csrf, token: z.string().min(1).max(100), interaction });

export const emailChangeInput = z.object({
  csrf,
  email: z
    .email("Enter an email address, such as name@example.com.")
    .max(254, "An email address has at most 254 characters.")
    .transform((e) => e.toLowerCase()),
});
