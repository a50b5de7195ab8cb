/**
 * The portal's messages: the same words as plain text and as HTML.
 *
 * Rules:
 * - every value is escaped in the HTML body; links are the portal's own absolute URLs, written out
 *   in full in the text body;
 * - no remote images, fonts or styles sheets (mail clients block them and they tell the sender when
 *   a message is opened): inline styles only;
 * - the portal's name is in the subject's sender line (From) and at the foot of both bodies;
 * - a subject is one line: line breaks are removed (they would be header injection elsewhere;
 *   nodemailer encodes headers, this keeps the subject readable).
 */
import type { MailMessage } from "./ports";

export interface MailContent {
  to: string;
  purpose: string;
  subject: string;
  /** the portal's display name */
  portal: string;
  greeting?: string;
  paragraphs: string[];
  /** one call to action: a button in HTML, the URL on its own line in text */
  action?: { label: string; url: string };
  /** shown small below the action, e.g. "The link works once, for 24 hours." */
  footnote?: string;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
const oneLine = (s: string) => s.replace(/[\r\n]+/g, " ").trim();

export function composeMail(c: MailContent): MailMessage {
  const subject = oneLine(c.subject);
  const text = [
    ...(c.greeting ? [c.greeting, ""] : []),
    ...c.paragraphs.flatMap((p) => [p, ""]),
    ...(c.action ? [`${c.action.label}:`, c.action.url, ""] : []),
    ...(c.footnote ? [c.footnote, ""] : []),
    `-- ${c.portal}`,
    "",
  ].join("\n");
  const p = (s: string) => `<p style="margin:0 0 16px;font-size:15px;line-height:1.5;color:#1e293b">${escapeHtml(s)}</p>`;
  const action = c.action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(c.action.url)}" style="display:inline-block;padding:10px 18px;border-radius:8px;background:#4338ca;color:#ffffff;font-weight:600;text-decoration:none">${escapeHtml(c.action.label)}</a></p>` +
      `<p style="margin:0 0 16px;font-size:13px;color:#475569">If the button does not work, open this address: <a href="${escapeHtml(c.action.url)}" style="color:#4338ca;word-break:break-all">${escapeHtml(c.action.url)}</a></p>`
    : "";
  const html = [
    "<!doctype html>",
    `<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="margin:0;padding:24px;background:#f8fafc;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif">',
    '<div style="max-width:560px;margin:0 auto;padding:24px;background:#ffffff;border:1px solid #e2e8f0;border-radius:12px">',
    `<p style="margin:0 0 20px;font-size:13px;font-weight:600;letter-spacing:.04em;text-transform:uppercase;color:#4338ca">${escapeHtml(c.portal)}</p>`,
    ...(c.greeting ? [p(c.greeting)] : []),
    ...c.paragraphs.map(p),
    action,
    c.footnote ? `<p style="margin:0;font-size:13px;color:#64748b">${escapeHtml(c.footnote)}</p>` : "",
    "</div></body></html>",
  ].join("\n");
  return { to: c.to, purpose: c.purpose, subject, text, html };
}
