/**
 * Outgoing mail.
 *
 * Rules:
 * - with PORTCULLIS_SMTP_URL (smtp:// or smtps://, credentials in the URL) mail goes to that server
 *   through nodemailer, From PORTCULLIS_MAIL_FROM; connecting, the greeting and each exchange time
 *   out (10 s by default), and a refusal or a timeout is a MailError for the caller to handle;
 * - without it (the embedded default) a message is kept in the outbox, which administrators read in
 *   the console, so a development portal shows the whole flow without a mail server; the log says
 *   a message is waiting there; the outbox keeps messages 7 days (the sweeper);
 * - the log never carries a body (they carry single-use links): the recipient and purpose only.
 */
import nodemailer from "nodemailer";
import SMTPTransport from "nodemailer/lib/smtp-transport/index.js";
import type { Mailer, MailLog, MailMessage, OutboxStore } from "./ports";

export type { Mailer, MailLog, MailMessage, OutboxEntry, OutboxStore, OutboxSummary } from "./ports";
export { consoleMailLog } from "./ports";
export { composeMail, escapeHtml, type MailContent } from "./compose";

export class MailError extends Error {
  readonly brand = "MailError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "MailError";
  }
}

export interface MailerOptions {
  smtpUrl?: string;
  from: string;
  outbox: OutboxStore;
  log: MailLog;
  now?: () => number;
  /** milliseconds for each SMTP step (connect, greeting, socket idle) */
  timeout?: number;
}

export function createMailer(o: MailerOptions): Mailer {
  const now = o.now ?? Date.now;
  if (!o.smtpUrl) {
    return {
      mode: "outbox",
      async send(m: MailMessage) {
        const entry = await o.outbox.add(m, new Date(now()));
        // Never the body: it carries single-use links, and logs travel further than the outbox.
        o.log.info("mail kept in the outbox (no PORTCULLIS_SMTP_URL): read it in the console", {
          id: entry.id,
          to: m.to,
          purpose: m.purpose,
        });
      },
    };
  }
  const timeout = o.timeout ?? 10_000;
  // The transport itself, not createTransport(url): that one takes only what the URL says.
  const transport = nodemailer.createTransport(
    new SMTPTransport({
      url: o.smtpUrl,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      disableFileAccess: true,
      disableUrlAccess: true,
    }),
  );
  return {
    mode: "smtp",
    async send(m: MailMessage) {
      try {
        await transport.sendMail({ from: o.from, to: m.to, subject: m.subject, text: m.text, html: m.html });
        o.log.info("mail sent", { to: m.to, purpose: m.purpose });
      } catch (err) {
        o.log.error("mail not sent", { to: m.to, purpose: m.purpose, error: err instanceof Error ? err.message : String(err) });
        throw new MailError("the mail server did not accept the message", { cause: err });
      }
    },
  };
}

/** PORTCULLIS_MAIL_FROM's default: the portal's name at no-reply@ the issuer's host. */
export function defaultFrom(issuer: string, portal = "Portcullis"): string {
  return `${portal} <no-reply@${new URL(issuer).hostname}>`;
}
