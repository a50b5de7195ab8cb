import type { Metadata } from "next";
import Link from "next/link";
import { getRuntime } from "@/lib/runtime";
import { pageParam, requireAdmin, textParam } from "@/lib/next/admin-session";
import { Pager, SearchForm } from "@/components/admin/table";

export const metadata: Metadata = { title: "Clients" };

export default async function ClientsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { principal } = await requireAdmin("/admin/clients");
  const query = await searchParams;
  const search = textParam(query.search);
  const { admin } = await getRuntime();
  const result = await admin.clients.list(principal, { search, page: pageParam(query.page), pageSize: 20, clamp: true });
  const link = (p: number) => `/admin/clients?${new URLSearchParams({ ...(search ? { search } : {}), page: String(p) })}`;
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold tracking-tight">Clients</h1>
        <Link
          href="/admin/clients/new"
          className="rounded-lg bg-indigo-600 px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-indigo-700"
        >
          New client
        </Link>
      </div>
      <SearchForm label="Search clients" placeholder="Search by ID or name" value={search} />
      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
        <table className="min-w-full text-left text-sm">
          <caption className="sr-only">Registered clients</caption>
          <thead className="bg-slate-50 text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-2 font-medium">
                Client ID
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Name
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Kind
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Grants
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Status
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {result.items.map((c) => (
              <tr key={c.client_id}>
                <td className="px-4 py-2 font-mono">
                  <Link className="text-indigo-700 underline" href={`/admin/clients/${encodeURIComponent(c.client_id)}`}>
                    {c.client_id}
                  </Link>
                </td>
                <td className="px-4 py-2">{c.client_name}</td>
                <td className="px-4 py-2">{c.portcullis.kind}</td>
                <td className="px-4 py-2 text-slate-600">{c.grant_types.join(", ")}</td>
                <td className="px-4 py-2">
                  {c.portcullis.enabled ? "enabled" : "disabled"}
                  {c.registered_dynamically ? <span className="ml-2 text-xs text-amber-800">registered dynamically</span> : null}
                </td>
              </tr>
            ))}
            {result.items.length === 0 ? (
              <tr>
                <td colSpan={5} className="px-4 py-6 text-center text-slate-500">
                  No clients found.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <Pager page={result.page} pageSize={result.pageSize} total={result.total} noun="clients" href={link} />
    </div>
  );
}
