/**
 * Outgoing mail through a real SMTP server on loopback (smtp-server), and the outbox a portal
 * without SMTP keeps for its administrators, on SQLite and PostgreSQL.
 */
import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";
import { composeMail, createMailer, defaultFrom, type MailLog } from "@/lib/mail";
import { createAdmin } from "@/lib/admin";
import { createPrismaConfigRepository } from "@/lib/stores/prisma/config-repository";
import { importConfig } from "@/lib/admin/config-transfer";
import { createPrismaClientAdminStore } from "@/lib/stores/prisma/clients-admin";
import { createPrismaDirectoryStore } from "@/lib/stores/prisma/directory";
import { createPrismaIdentityProviderStore } from "@/lib/stores/prisma/identity-providers";
import { createPrismaOutboxStore } from "@/lib/stores/prisma/outbox";
import { createSweeper } from "@/lib/stores/prisma/sweeper";
import { startSession } from "@/lib/oidc/session";
import { DEFAULT_RETENTION, SecretBox } from "@/lib/oidc";
import { databaseKinds } from "../helpers/databases";
import { databasePool, prismaProvider, testClock } from "../helpers/prisma-provider";

const message = composeMail({
  to: "ada@example.com",
  purpose: "email_verification",
  subject: "Confirm your email\r\nBcc: everyone@example.com",
  portal: "Portcullis",
  greeting: "Hello <Ada>,",
  paragraphs: ["Confirm the address of your account & you are done."],
  action: { label: "Confirm my email", url: "https://id.example/verify?token=abc&x=1" },
  footnote: "The link works once, for 24 hours.",
});

function recordingLog() {
  const lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  const log: MailLog = {
    info: (m, f) => lines.push({ level: "info", message: m, fields: f }),
    error: (m, f) => lines.push({ level: "error", message: m, fields: f }),
  };
  return { log, lines };
}

/** A real SMTP server on a free loopback port; `refuse` names recipients it answers 550 to. */
async function smtpServer(refuse: string[] = []) {
  const received: ParsedMail[] = [];
  const envelopes: { from: string; to: string[] }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refuse.includes(address.address)) return callback(Object.assign(new Error("no such mailbox"), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push(mail);
          envelopes.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
          });
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, received, envelopes, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

const noOutbox = {
  add: () => Promise.reject(new Error("smtp mode keeps nothing")),
  list: () => Promise.reject(new Error("unused")),
  get: () => Promise.reject(new Error("unused")),
};

describe("mail composition", () => {
  it("says the same words in text and HTML, escapes every value, loads nothing remote, keeps the subject on one line", () => {
    expect(message.subject).toBe("Confirm your email Bcc: everyone@example.com");
    expect(message.text).toContain("Hello <Ada>,");
    expect(message.text).toContain("Confirm my email:\nhttps://id.example/verify?token=abc&x=1\n");
    expect(message.text.trimEnd().endsWith("-- Portcullis")).toBe(true);
    expect(message.html).toContain("Hello &lt;Ada&gt;,");
    expect(message.html).toContain("account &amp; you are done");
    expect(message.html).toContain('href="https://id.example/verify?token=abc&amp;x=1"');
    expect(message.html).not.toMatch(/<img|<link|@import|url\(|<script/i);
    const links = [...message.html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(links)).toEqual(new Set(["https://id.example/verify?token=abc&amp;x=1"]));
  });

  it("sends From the portal at the issuer's host by default", () => {
    expect(defaultFrom("https://id.example.com/")).toBe("Portcullis <no-reply@id.example.com>");
  });
});

describe("SMTP", () => {
  it("delivers to a real SMTP server: envelope, From, headers, both bodies", async () => {
    const smtp = await smtpServer();
    closers.push(smtp.close);
    const { log, lines } = recordingLog();
    const mailer = createMailer({ smtpUrl: smtp.url, from: "Portcullis <no-reply@id.example>", outbox: noOutbox, log });
    expect(mailer.mode).toBe("smtp");
    await mailer.send(message);
    expect(smtp.envelopes).toEqual([{ from: "no-reply@id.example", to: ["ada@example.com"] }]);
    const [mail] = smtp.received;
    expect(mail!.subject).toBe("Confirm your email Bcc: everyone@example.com");
    expect(mail!.headers.has("bcc")).toBe(false);
    expect(mail!.from?.value).toEqual([{ name: "Portcullis", address: "no-reply@id.example" }]);
    expect(mail!.text).toContain("https://id.example/verify?token=abc&x=1");
    expect(mail!.html).toContain("Hello &lt;Ada&gt;,");
    // The log says who and why, never the body (it carries the link).
    expect(lines).toEqual([{ level: "info", message: "mail sent", fields: { to: "ada@example.com", purpose: "email_verification" } }]);
  });

  it("fails with a MailError when the server refuses the recipient, and logs no body", async () => {
    const smtp = await smtpServer(["ada@example.com"]);
    closers.push(smtp.close);
    const { log, lines } = recordingLog();
    const mailer = createMailer({ smtpUrl: smtp.url, from: "no-reply@id.example", outbox: noOutbox, log });
    await expect(mailer.send(message)).rejects.toMatchObject({ name: "MailError" });
    expect(smtp.received).toHaveLength(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "error", message: "mail not sent", fields: { to: "ada@example.com" } });
    expect(JSON.stringify(lines)).not.toContain("token=abc");
  });

  it("fails with a MailError when nothing listens, or the server never greets", async () => {
    const silent: Server = createServer(() => {
      /* accepts, says nothing */
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const sockets = new Set<Socket>();
    silent.on("connection", (s) => sockets.add(s));
    closers.push(
      () =>
        new Promise<void>((r) => {
          for (const s of sockets) s.destroy();
          silent.close(() => r());
        }),
    );
    const silentPort = (silent.address() as AddressInfo).port;
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const freePort = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));

    for (const port of [freePort, silentPort]) {
      const { log } = recordingLog();
      const mailer = createMailer({
        smtpUrl: `smtp://127.0.0.1:${port}`,
        from: "no-reply@id.example",
        outbox: noOutbox,
        log,
        timeout: 300,
      });
      await expect(mailer.send(message)).rejects.toMatchObject({ name: "MailError" });
    }
  });
});

const pool = databasePool();
afterAll(() => pool.dropAll());

for (const kind of databaseKinds) {
  describe(`the outbox without SMTP (${kind})`, () => {
    it("keeps the message and logs it; administrators read it through the admin service; the sweeper drops it after 7 days", async () => {
      const database = await pool.create(kind);
      const clock = testClock();
      const { ctx, db } = await prismaProvider(database.url, clock);
      database.track(db);
      const repo = createPrismaConfigRepository(db);
      await importConfig(repo, { users: [{ username: "root", roles: ["admin"] }, { username: "bob" }] });
      const outbox = createPrismaOutboxStore(db);
      const { log, lines } = recordingLog();
      const mailer = createMailer({ from: "no-reply@id.example", outbox, log, now: () => clock.now });
      expect(mailer.mode).toBe("outbox");
      const admin = createAdmin({
        provider: ctx,
        clients: createPrismaClientAdminStore(db),
        directory: createPrismaDirectoryStore(db, kind),
        config: repo,
        identityProviders: createPrismaIdentityProviderStore(db, kind, await SecretBox.fromSecret("x".repeat(32), "upstream-secrets")),
        outbox,
        mailer,
      });

      await mailer.send(message);
      await mailer.send({ ...message, to: "bob@example.com", purpose: "password_reset" });
      expect(lines.map((l) => [l.level, l.fields.to, l.fields.purpose])).toEqual([
        ["info", "ada@example.com", "email_verification"],
        ["info", "bob@example.com", "password_reset"],
      ]);
      expect(JSON.stringify(lines)).not.toContain("token=abc");

      const principalOf = async (username: string) => {
        const user = await db.user.findUniqueOrThrow({ where: { username } });
        return (await admin.access.fromSession((await startSession(ctx, { userId: user.id, amr: ["pwd"] })).handle))!;
      };
      const root = await principalOf("root");
      const page = await admin.outbox.list(root, {});
      expect(page.total).toBe(2);
      expect(page.items.map((m) => [m.to, m.purpose])).toEqual(
        expect.arrayContaining([
          ["ada@example.com", "email_verification"],
          ["bob@example.com", "password_reset"],
        ]),
      );
      expect(Object.keys(page.items[0]!).sort()).toEqual(["createdAt", "id", "purpose", "subject", "to"]);
      const ada = page.items.find((m) => m.to === "ada@example.com")!;
      expect(await admin.outbox.get(root, ada.id)).toMatchObject({ text: message.text, html: message.html, subject: message.subject });
      expect(await admin.outbox.get(root, "nope")).toBeNull();

      // Not an administrator: refused, whatever the id.
      const bob = await principalOf("bob");
      await expect(admin.outbox.list(bob, {})).rejects.toMatchObject({ code: "forbidden" });
      await expect(admin.outbox.get(bob, ada.id)).rejects.toMatchObject({ code: "forbidden" });

      const sweeper = createSweeper(db, kind, { retention: DEFAULT_RETENTION, now: () => clock.now + 7 * 86_400_000 - 60_000 });
      expect((await sweeper.sweep())!.outboxMessages).toBe(0);
      const later = createSweeper(db, kind, { retention: DEFAULT_RETENTION, now: () => clock.now + 7 * 86_400_000 + 60_000 });
      expect((await later.sweep())!.outboxMessages).toBe(2);
      // (that sweep, a week ahead, also ended root's session)
      expect((await admin.outbox.list(await principalOf("root"), {})).total).toBe(0);
    });
  });
}
