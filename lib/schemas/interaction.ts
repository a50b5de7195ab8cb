import { z } from "zod";

const interactionFields = {
  interaction: z.string().min(1).max(100),
  csrf: z.string().max(200),
};

export const loginInput = z.object({
  ...interactionFields,
  login: z.string().trim().min(1, "Enter your username or email.").max(254, "That is too long."),
  password: z.string().min(1, "Enter your password.").max(256, "That is too long."),
});
export type LoginInput = z.infer<typeof loginInput>;
/** the browser's check when an email may lead to an identity provider: the server asks for the password if not */
export const loginStartInput = loginInput.extend({ password: z.string().max(256, "That is too long.") });

export const consentInput = z.object({
  ...interactionFields,
  decision: z.enum(["allow", "deny"]),
  scopes: z.array(z.string().max(200)).max(100),
  remember: z.boolean(),
});

export const logoutInput = z.object(interactionFields);

/** The device verification page's decision (RFC 8628 3.3): the code it showed, approve or deny, the scopes kept. */
export const deviceDecisionInput = z.object({
  user_code: z.string().min(1).max(32),
  csrf: z.string().max(200),
  decision: z.enum(["allow", "deny"]),
  scopes: z.array(z.string().max(200)).max(100),
});
