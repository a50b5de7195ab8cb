import type { Metadata } from "next";
import Link from "next/link";
import { getRuntime } from "@/lib/runtime";

export const metadata: Metadata = { title: "Clients" };

export default async function ClientsPage({ searchParams }: { searchParams: Promise<{ search?: string; page?: string }> }) {
  const { search, page } = await searchParams;
  const { admin } = await getRuntime();
  const result = await admin.clients.list({ search, page: Number(page) || 1, pageSize: 20 });
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  const link = (p: number) => `/admin/clients?${new URLSearchParams({ ...(search ? { search } : {}), page: String(p) })}`;
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold tracking-tight">Clients</h1>
        <Link href="/admin/clients/new" className="rounded-lg bg-indigo-600 px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-indigo-700">New client</Link>
      </div>
      <form role="search" className="flex gap-2">
        <label htmlFor="search" className="sr-only">Search clients</label>
        <input id="search" name="search" defaultValue={search} placeholder="Search by ID or name" className="w-full max-w-sm rounded-lg border border-slate-300 px-3 py-2 text-sm" />
        <button type="submit" className="rounded-lg bg-white px-4 py-2 text-sm font-semibold ring-1 ring-slate-300 hover:bg-slate-50">Search</button>
      </form>
      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
        <table className="min-w-full text-left text-sm">
          <caption className="sr-only">Registered clients</caption>
          <thead className="bg-slate-50 text-slate-600">
            <tr><th scope="col" className="px-4 py-2 font-medium">Client ID</th><th scope="col" className="px-4 py-2 font-medium">Name</th><th scope="col" className="px-4 py-2 font-medium">Kind</th><th scope="col" className="px-4 py-2 font-medium">Grants</th><th scope="col" className="px-4 py-2 font-medium">Status</th></tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {result.items.map((c) => (
              <tr key={c.client_id}>
                <td className="px-4 py-2 font-mono"><Link className="text-indigo-700 underline" href={`/admin/clients/${encodeURIComponent(c.client_id)}`}>{c.client_id}</Link></td>
                <td className="px-4 py-2">{c.client_name}</td>
                <td className="px-4 py-2">{c.portcullis.kind}</td>
                <td className="px-4 py-2 text-slate-600">{c.grant_types.join(", ")}</td>
                <td className="px-4 py-2">{c.portcullis.enabled ? "enabled" : "disabled"}</td>
              </tr>
            ))}
            {result.items.length === 0 ? <tr><td colSpan={5} className="px-4 py-6 text-center text-slate-500">No clients found.</td></tr> : null}
          </tbody>
        </table>
      </div>
      <nav aria-label="Pages" className="flex items-center gap-3 text-sm">
        {result.page > 1 ? <Link className="text-indigo-700 underline" href={link(result.page - 1)}>Previous</Link> : null}
        <span>Page {result.page} of {pages} ({result.total} clients)</span>
        {result.page < pages ? <Link className="text-indigo-700 underline" href={link(result.page + 1)}>Next</Link> : null}
      </nav>
    </div>
  );
}
