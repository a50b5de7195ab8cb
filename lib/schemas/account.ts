import { z } from "zod";

/** The account area's forms: a CSRF token, and what the form acts on. */
export const accountFormInput = z.object({ csrf: z.string().max(200) });
export const endSessionInput = accountFormInput.extend({ session: z.string().min(1).max(100) });

/** The outcome a form sends back to the page (`?notice=`), and what the page says for it. */
export const ACCOUNT_NOTICES = {
  session_ended: "The session was signed out.",
  others_ended: "Your other sessions were signed out.",
  session_not_found: "That session is not one of your active sessions.",
  expired_form: "The form expired. Please try again.",
} as const;
export type AccountNotice = keyof typeof ACCOUNT_NOTICES;
