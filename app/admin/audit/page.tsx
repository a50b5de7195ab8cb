import type { Metadata } from "next";
import { PageHeader, Pager, Table } from "@/components/admin/table";
import { pageParam, requireAdmin, textParam } from "@/lib/next/admin-session";
import { getRuntime } from "@/lib/runtime";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { principal } = await requireAdmin("/admin/audit");
  const query = await searchParams;
  const type = textParam(query.type);
  const actor = textParam(query.actor);
  const { admin } = await getRuntime();
  const result = await admin.directory.audit.list(principal, { type, actor, page: pageParam(query.page), pageSize: 50, clamp: true });
  const link = (p: number) =>
    `/admin/audit?${new URLSearchParams({ ...(type ? { type } : {}), ...(actor ? { actor } : {}), page: String(p) })}`;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Audit log" />
      <form className="flex flex-wrap items-end gap-3">
        <div className="flex flex-col gap-1">
          <label htmlFor="type" className="text-sm text-slate-700">
            Event type
          </label>
          <input
            id="type"
            name="type"
            defaultValue={type}
            placeholder="e.g. login_failed"
            className="rounded-lg border border-slate-300 px-3 py-2 text-sm"
          />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="actor" className="text-sm text-slate-700">
            Actor
          </label>
          <input id="actor" name="actor" defaultValue={actor} className="rounded-lg border border-slate-300 px-3 py-2 text-sm" />
        </div>
        <button type="submit" className="rounded-lg bg-white px-4 py-2 text-sm font-semibold ring-1 ring-slate-300 hover:bg-slate-50">
          Filter
        </button>
      </form>
      <Table caption="Audit events" head={["When", "Type", "Actor", "Subject", "Client", "Details"]} empty={result.items.length === 0}>
        {result.items.map((e) => (
          <tr key={e.id} className="align-top">
            <td className="px-4 py-2 whitespace-nowrap">{e.created_at.slice(0, 19).replace("T", " ")}</td>
            <td className="px-4 py-2 font-mono">{e.type}</td>
            <td className="px-4 py-2">{e.actor ?? ""}</td>
            <td className="px-4 py-2 font-mono text-xs">{e.subject ?? ""}</td>
            <td className="px-4 py-2 font-mono">{e.client_id ?? ""}</td>
            <td className="max-w-md px-4 py-2">
              <code className="line-clamp-3 text-xs break-all text-slate-600">{JSON.stringify(e.details)}</code>
            </td>
          </tr>
        ))}
      </Table>
      <Pager page={result.page} pageSize={result.pageSize} total={result.total} noun="events" href={link} />
    </div>
  );
}
