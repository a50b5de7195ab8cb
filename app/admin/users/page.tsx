import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader, Table, linkButton } from "@/components/admin/table";
import { getRuntime } from "@/lib/runtime";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage({ searchParams }: { searchParams: Promise<{ search?: string; page?: string }> }) {
  const { search, page } = await searchParams;
  const { admin } = await getRuntime();
  const result = await admin.directory.users.list({ search, page: Number(page) || 1, pageSize: 25 });
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  const link = (p: number) => `/admin/users?${new URLSearchParams({ ...(search ? { search } : {}), page: String(p) })}`;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Users" action={<Link href="/admin/users/new" className={linkButton}>New user</Link>} />
      <form role="search" className="flex gap-2">
        <label htmlFor="search" className="sr-only">Search users</label>
        <input id="search" name="search" defaultValue={search} placeholder="Username or email starts with" className="w-full max-w-sm rounded-lg border border-slate-300 px-3 py-2 text-sm" />
        <button type="submit" className="rounded-lg bg-white px-4 py-2 text-sm font-semibold ring-1 ring-slate-300 hover:bg-slate-50">Search</button>
      </form>
      <Table caption="Users" head={["Username", "Email", "Roles", "Status", "Last sign-in"]} empty={result.items.length === 0}>
        {result.items.map((u) => (
          <tr key={u.id}>
            <td className="px-4 py-2"><Link className="text-indigo-700 underline" href={`/admin/users/${encodeURIComponent(u.username)}`}>{u.username}</Link></td>
            <td className="px-4 py-2">{u.email ?? ""}</td><td className="px-4 py-2">{u.roles.join(", ")}</td>
            <td className="px-4 py-2">{u.locked ? "locked" : "active"}</td><td className="px-4 py-2">{u.last_login_at?.slice(0, 16).replace("T", " ") ?? "never"}</td>
          </tr>
        ))}
      </Table>
      <nav aria-label="Pages" className="flex items-center gap-3 text-sm">
        {result.page > 1 ? <Link className="text-indigo-700 underline" href={link(result.page - 1)}>Previous</Link> : null}
        <span>Page {result.page} of {pages} ({result.total} users)</span>
        {result.page < pages ? <Link className="text-indigo-700 underline" href={link(result.page + 1)}>Next</Link> : null}
      </nav>
    </div>
  );
}
