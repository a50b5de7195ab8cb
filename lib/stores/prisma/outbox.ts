/** The mail outbox on Prisma (lib/mail): kept when no SMTP server is configured. */
import type { Db } from "../../db";
import type { OutboxStore } from "../../mail";

export function createPrismaOutboxStore(db: Db): OutboxStore {
  const entry = (r: { id: string; createdAt: Date; recipient: string; subject: string; purpose: string; text: string; html: string }) => ({
    id: r.id,
    createdAt: r.createdAt,
    to: r.recipient,
    subject: r.subject,
    purpose: r.purpose,
    text: r.text,
    html: r.html,
  });
  return {
    async add(m, at) {
      const row = await db.outboxMessage.create({
        data: { createdAt: at, recipient: m.to, subject: m.subject, purpose: m.purpose, text: m.text, html: m.html },
      });
      return entry(row);
    },
    async list({ page, pageSize }) {
      const [rows, total] = await Promise.all([
        db.outboxMessage.findMany({
          select: { id: true, createdAt: true, recipient: true, subject: true, purpose: true },
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
          skip: (page - 1) * pageSize,
          take: pageSize,
        }),
        db.outboxMessage.count(),
      ]);
      const items = rows.map((r) => ({ id: r.id, createdAt: r.createdAt, to: r.recipient, subject: r.subject, purpose: r.purpose }));
      return { items, total, page, pageSize };
    },
    async get(id) {
      const row = await db.outboxMessage.findUnique({ where: { id } });
      return row ? entry(row) : null;
    },
  };
}
