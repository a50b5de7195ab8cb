import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader, Pager, Table } from "@/components/admin/table";
import { Alert } from "@/components/ui/alert";
import { pageParam, requireAdmin } from "@/lib/next/admin-session";
import { getRuntime } from "@/lib/runtime";

export const metadata: Metadata = { title: "Mail outbox" };

const when = (d: Date) => d.toISOString().slice(0, 19).replace("T", " ");

export default async function OutboxPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { principal } = await requireAdmin("/admin/outbox");
  const query = await searchParams;
  const { admin } = await getRuntime();
  const result = await admin.outbox.list(principal, { page: pageParam(query.page), pageSize: 50, clamp: true });
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Mail outbox" />
      {admin.outbox.mode === "smtp" ? (
        <Alert tone="info">Mail goes to the SMTP server (PORTCULLIS_SMTP_URL). Messages kept before it was set are listed below.</Alert>
      ) : (
        <p className="text-sm text-slate-600">
          No SMTP server is configured (PORTCULLIS_SMTP_URL), so the portal keeps the mail it would send here, for 7 days. The messages
          carry sign-in and reset links: only administrators see them.
        </p>
      )}
      <Table caption="Messages" head={["When", "To", "Subject", "Purpose"]} empty={result.items.length === 0}>
        {result.items.map((m) => (
          <tr key={m.id}>
            <td className="px-4 py-2 whitespace-nowrap">{when(m.createdAt)}</td>
            <td className="px-4 py-2 break-all">{m.to}</td>
            <td className="px-4 py-2">
              <Link href={`/admin/outbox/${encodeURIComponent(m.id)}`} className="font-medium text-indigo-700 hover:underline">
                {m.subject}
              </Link>
            </td>
            <td className="px-4 py-2 font-mono text-xs">{m.purpose}</td>
          </tr>
        ))}
      </Table>
      <Pager page={result.page} pageSize={result.pageSize} total={result.total} noun="messages" href={(p) => `/admin/outbox?page=${p}`} />
    </div>
  );
}
