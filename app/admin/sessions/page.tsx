import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader, Table } from "@/components/admin/table";
import { ConfirmSubmit } from "@/components/admin/confirm-submit";
import { adminFormToken } from "@/lib/next/admin-session";
import { getRuntime } from "@/lib/runtime";
import { sessionCommand } from "../directory-actions";

export const metadata: Metadata = { title: "Sessions" };

export default async function SessionsPage({ searchParams }: { searchParams: Promise<{ search?: string; page?: string }> }) {
  const { search, page } = await searchParams;
  const { admin } = await getRuntime();
  const result = await admin.directory.sessions.list({ search, page: Number(page) || 1, pageSize: 25 });
  const csrf = await adminFormToken();
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Active sessions" />
      <form role="search" className="flex gap-2">
        <label htmlFor="search" className="sr-only">Search sessions by username</label>
        <input id="search" name="search" defaultValue={search} placeholder="Username starts with" className="w-full max-w-sm rounded-lg border border-slate-300 px-3 py-2 text-sm" />
        <button type="submit" className="rounded-lg bg-white px-4 py-2 text-sm font-semibold ring-1 ring-slate-300 hover:bg-slate-50">Search</button>
      </form>
      <Table caption="Active sessions" head={["User", "Signed in", "Ends", "Applications", ""]} empty={result.items.length === 0}>
        {result.items.map((s) => (
          <tr key={s.id}>
            <td className="px-4 py-2"><Link className="text-indigo-700 underline" href={`/admin/users/${encodeURIComponent(s.username)}`}>{s.username}</Link></td>
            <td className="px-4 py-2">{s.auth_time.slice(0, 16).replace("T", " ")}</td><td className="px-4 py-2">{s.expires_at.slice(0, 16).replace("T", " ")}</td>
            <td className="px-4 py-2">{s.clients.join(", ")}</td>
            <td className="px-4 py-2"><form action={sessionCommand}><input type="hidden" name="csrf" value={csrf} /><input type="hidden" name="session" value={s.id} /><ConfirmSubmit label="Revoke" question="End this session?" /></form></td>
          </tr>
        ))}
      </Table>
      <p className="text-sm text-slate-600">{result.total} active sessions</p>
    </div>
  );
}
