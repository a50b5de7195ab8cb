import { z } from "zod";

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
} as const;
export type AccountNotice = keyof typeof ACCOUNT_NOTICES;
