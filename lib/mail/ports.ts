/** What the mail module needs and offers; the outbox is stored behind OutboxStore (lib/stores). */

/** One message, composed (./compose.ts): a plain-text and an HTML body of the same words. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** why it was sent, e.g. "email_verification" or "password_reset": shown in the console's outbox */
  purpose: string;
}

export interface OutboxEntry extends MailMessage {
  id: string;
  createdAt: Date;
}

export type OutboxSummary = Omit<OutboxEntry, "text" | "html">;

export interface OutboxStore {
  add(message: MailMessage, at: Date): Promise<OutboxEntry>;
  /** newest first */
  list(page: { page: number; pageSize: number }): Promise<{ items: OutboxSummary[]; total: number; page: number; pageSize: number }>;
  get(id: string): Promise<OutboxEntry | null>;
}

export interface Mailer {
  /** smtp: sent to PORTCULLIS_SMTP_URL; outbox: no SMTP configured, kept for the console and logged */
  readonly mode: "smtp" | "outbox";
  /** Sends, or keeps in the outbox; throws MailError when the SMTP server refuses or cannot be reached. */
  send(message: MailMessage): Promise<void>;
}

export interface MailLog {
  info(message: string, fields: Record<string, unknown>): void;
  error(message: string, fields: Record<string, unknown>): void;
}

/** The log line of the server: `[portcullis] message {fields}` on standard output and error. */
export const consoleMailLog: MailLog = {
  info: (message, fields) => console.log(`[portcullis] ${message}`, fields),
  error: (message, fields) => console.error(`[portcullis] ${message}`, fields),
};
