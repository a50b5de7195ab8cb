import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader, Pager, SearchForm, Table, linkButton } from "@/components/admin/table";
import { pageParam, requireAdmin, textParam } from "@/lib/next/admin-session";
import { getRuntime } from "@/lib/runtime";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { principal } = await requireAdmin("/admin/users");
  const query = await searchParams;
  const search = textParam(query.search);
  const { admin } = await getRuntime();
  const result = await admin.directory.users.list(principal, { search, page: pageParam(query.page), pageSize: 25, clamp: true });
  const link = (p: number) => `/admin/users?${new URLSearchParams({ ...(search ? { search } : {}), page: String(p) })}`;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Users"
        action={
          <Link href="/admin/users/new" className={linkButton}>
            New user
          </Link>
        }
      />
      <SearchForm label="Search users" placeholder="Username or email starts with" value={search} />
      <Table caption="Users" head={["Username", "Email", "Roles", "Status", "Last sign-in"]} empty={result.items.length === 0}>
        {result.items.map((u) => (
          <tr key={u.id}>
            <td className="px-4 py-2">
              <Link className="text-indigo-700 underline" href={`/admin/users/${encodeURIComponent(u.username)}`}>
                {u.username}
              </Link>
            </td>
            <td className="px-4 py-2">{u.email ?? ""}</td>
            <td className="px-4 py-2">{u.roles.join(", ")}</td>
            <td className="px-4 py-2">{u.locked ? "locked" : "active"}</td>
            <td className="px-4 py-2">{u.last_login_at?.slice(0, 16).replace("T", " ") ?? "never"}</td>
          </tr>
        ))}
      </Table>
      <Pager page={result.page} pageSize={result.pageSize} total={result.total} noun="users" href={link} />
    </div>
  );
}
