import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/admin/table";
import { requireAdmin } from "@/lib/next/admin-session";
import { getRuntime } from "@/lib/runtime";

export const metadata: Metadata = { title: "Message" };

export default async function OutboxMessagePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { principal } = await requireAdmin(`/admin/outbox/${encodeURIComponent(id)}`);
  const { admin } = await getRuntime();
  const message = await admin.outbox.get(principal, id);
  if (!message) notFound();
  return (
    <div className="flex flex-col gap-6">
      <p className="text-sm">
        <Link href="/admin/outbox" className="font-medium text-indigo-700 hover:underline">
          ← Mail outbox
        </Link>
      </p>
      <PageHeader title={message.subject} />
      <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="font-medium text-slate-500">To</dt>
        <dd className="break-all">{message.to}</dd>
        <dt className="font-medium text-slate-500">Kept</dt>
        <dd>{message.createdAt.toISOString().slice(0, 19).replace("T", " ")} UTC</dd>
        <dt className="font-medium text-slate-500">Purpose</dt>
        <dd className="font-mono text-xs">{message.purpose}</dd>
      </dl>
      <section aria-labelledby="text-body" className="flex flex-col gap-2">
        <h2 id="text-body" className="text-base font-semibold text-slate-900">
          Message
        </h2>
        <pre
          tabIndex={0}
          className="overflow-x-auto rounded-lg border border-slate-200 bg-white p-4 text-sm whitespace-pre-wrap break-words"
        >
          {message.text}
        </pre>
      </section>
      <details className="text-sm">
        <summary className="cursor-pointer font-medium text-slate-700">HTML version (source)</summary>
        <pre tabIndex={0} className="mt-2 overflow-x-auto rounded-lg border border-slate-200 bg-slate-50 p-4 text-xs">
          {message.html}
        </pre>
      </details>
    </div>
  );
}
