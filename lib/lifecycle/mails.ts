/** The account lifecycle's messages, composed by lib/mail (text and HTML, no remote images). */
import { composeMail, type MailMessage } from "../mail";
import { LIFETIME_WORDS } from "./tokens";

export const PORTAL_NAME = "Portcullis";

export function verifyEmailMail(to: string, username: string, url: string, change: boolean): MailMessage {
  return composeMail({
    to,
    purpose: "verify_email",
    subject: change ? "Confirm your new email address" : "Confirm your email address",
    portal: PORTAL_NAME,
    greeting: `Hello ${username},`,
    paragraphs: [
      change
        ? "You asked to use this address for your account. It replaces the old one once you confirm it."
        : "Welcome. Confirm this address to finish setting up your account.",
    ],
    action: { label: "Confirm my email", url },
    footnote: `The link works once, for ${LIFETIME_WORDS.verify_email}. If you did not ask for this, ignore this message.`,
  });
}

export function signUpAttemptMail(to: string, signInUrl: string, forgotUrl: string): MailMessage {
  return composeMail({
    to,
    purpose: "sign_up_attempt",
    subject: "Someone tried to sign up with your address",
    portal: PORTAL_NAME,
    paragraphs: [
      "Someone tried to create an account with this email address, but it already belongs to an account. No new account was created.",
      `If it was you, sign in at ${signInUrl}. If you forgot your password, you can set a new one.`,
    ],
    action: { label: "Set a new password", url: forgotUrl },
    footnote: "If it was not you, you can ignore this message.",
  });
}

export function emailChangeNoticeMail(to: string, username: string, newAddress: string): MailMessage {
  return composeMail({
    to,
    purpose: "email_change_notice",
    subject: "Your email address is being changed",
    portal: PORTAL_NAME,
    greeting: `Hello ${username},`,
    paragraphs: [
      `Someone signed in to your account asked to change its email address to ${newAddress}. This address stays until the new one is confirmed.`,
      "If it was not you, sign in and change your password.",
    ],
  });
}

export function resetPasswordMail(to: string, username: string, url: string): MailMessage {
  return composeMail({
    to,
    purpose: "reset_password",
    subject: "Set a new password",
    portal: PORTAL_NAME,
    greeting: `Hello ${username},`,
    paragraphs: ["Someone asked to set a new password for your account. Use the link below to choose one."],
    action: { label: "Choose a new password", url },
    footnote: `The link works once, for ${LIFETIME_WORDS.reset_password}. If you did not ask for this, ignore this message: your password stays.`,
  });
}

export function passwordChangedMail(to: string, username: string): MailMessage {
  return composeMail({
    to,
    purpose: "password_changed",
    subject: "Your password was changed",
    portal: PORTAL_NAME,
    greeting: `Hello ${username},`,
    paragraphs: [
      "The password of your account was just changed, and every session of the account was ended.",
      "If it was not you, set a new password at once with “Forgot password?” on the sign-in page, and tell your administrator.",
    ],
  });
}
