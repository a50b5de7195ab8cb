import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader, Pager, SearchForm, Table, linkButton } from "@/components/admin/table";
import { getRuntime } from "@/lib/runtime";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage({ searchParams }: { searchParams: Promise<{ search?: string; page?: string }> }) {
  const { search, page } = await searchParams;
  const { admin } = await getRuntime();
  const result = await admin.directory.users.list({ search, page: Number(page) || 1, pageSize: 25 });
  const link = (p: number) => `/admin/users?${new URLSearchParams({ ...(search ? { search } : {}), page: String(p) })}`;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Users" action={<Link href="/admin/users/new" className={linkButton}>New user</Link>} />
      <SearchForm label="Search users" placeholder="Username or email starts with" value={search} />
      <Table caption="Users" head={["Username", "Email", "Roles", "Status", "Last sign-in"]} empty={result.items.length === 0}>
        {result.items.map((u) => (
          <tr key={u.id}>
            <td className="px-4 py-2"><Link className="text-indigo-700 underline" href={`/admin/users/${encodeURIComponent(u.username)}`}>{u.username}</Link></td>
            <td className="px-4 py-2">{u.email ?? ""}</td><td className="px-4 py-2">{u.roles.join(", ")}</td>
            <td className="px-4 py-2">{u.locked ? "locked" : "active"}</td><td className="px-4 py-2">{u.last_login_at?.slice(0, 16).replace("T", " ") ?? "never"}</td>
          </tr>
        ))}
      </Table>
      <Pager page={result.page} pageSize={result.pageSize} total={result.total} noun="users" href={link} />
    </div>
  );
}
