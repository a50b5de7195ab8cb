import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader, Pager, SearchForm, Table } from "@/components/admin/table";
import { CommandForm } from "@/components/admin/command-form";
import { ConfirmSubmit } from "@/components/admin/confirm-submit";
import { adminFormToken, pageParam, requireAdmin, textParam } from "@/lib/next/admin-session";
import { getRuntime } from "@/lib/runtime";
import { revokeSession } from "./actions";

export const metadata: Metadata = { title: "Sessions" };

export default async function SessionsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { principal } = await requireAdmin("/admin/sessions");
  const query = await searchParams;
  const search = textParam(query.search);
  const { admin } = await getRuntime();
  const result = await admin.directory.sessions.list(principal, { search, page: pageParam(query.page), pageSize: 25, clamp: true });
  const csrf = await adminFormToken();
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Active sessions" />
      <SearchForm label="Search sessions by username" placeholder="Username starts with" value={search} />
      <Table caption="Active sessions" head={["User", "Signed in", "Ends", "Applications", ""]} empty={result.items.length === 0}>
        {result.items.map((s) => (
          <tr key={s.id}>
            <td className="px-4 py-2">
              <Link className="text-indigo-700 underline" href={`/admin/users/${encodeURIComponent(s.username)}`}>
                {s.username}
              </Link>
            </td>
            <td className="px-4 py-2">{s.auth_time.slice(0, 16).replace("T", " ")}</td>
            <td className="px-4 py-2">{s.expires_at.slice(0, 16).replace("T", " ")}</td>
            <td className="px-4 py-2">{s.clients.join(", ")}</td>
            <td className="px-4 py-2">
              <CommandForm action={revokeSession} csrf={csrf} fields={{ session: s.id }}>
                <ConfirmSubmit label="Revoke" question="End this session?" />
              </CommandForm>
            </td>
          </tr>
        ))}
      </Table>
      <Pager
        page={result.page}
        pageSize={result.pageSize}
        total={result.total}
        noun="active sessions"
        href={(p) => `/admin/sessions?${new URLSearchParams({ ...(search ? { search } : {}), page: String(p) })}`}
      />
    </div>
  );
}
