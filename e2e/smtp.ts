/**
 * A real SMTP server on loopback for the browser specs (smtp-server + mailparser): the e2e portal
 * sends to it (playwright.config.ts sets PORTCULLIS_SMTP_URL to SMTP_PORT). A spec starts it in
 * beforeAll and reads what arrived with waitForMail; while no spec runs it, the portal's mail
 * fails and is logged, which changes no page.
 */
import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";
import { expect } from "@playwright/test";

export const SMTP_PORT = 3325;

export interface Inbox {
  messages: ParsedMail[];
  /** the first message to `to` whose subject contains `subject`, arriving after `after` messages */
  waitForMail(q: { to: string; subject: string; after?: number }): Promise<ParsedMail>;
  /** the first link of a message's text body that starts with `prefix` */
  linkIn(mail: ParsedMail, prefix: string): string;
  close(): Promise<void>;
}

export async function startSmtp(port = SMTP_PORT): Promise<Inbox> {
  const messages: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          messages.push(mail);
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const recipients = (m: ParsedMail) => (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).flatMap((a) => a.value.map((v) => v.address));
  const find = (q: { to: string; subject: string; after?: number }) =>
    messages.slice(q.after ?? 0).find((m) => recipients(m).includes(q.to) && (m.subject ?? "").includes(q.subject));
  return {
    messages,
    async waitForMail(q) {
      await expect.poll(() => Boolean(find(q)), { timeout: 30_000, message: `a mail to ${q.to}: ${q.subject}` }).toBe(true);
      return find(q)!;
    },
    linkIn(mail, prefix) {
      const link = (mail.text ?? "").split(/\s+/).find((w) => w.startsWith(prefix));
      if (!link) throw new Error(`no link starting with ${prefix} in "${mail.subject}"`);
      return link;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
