import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader, Table, linkButton } from "@/components/admin/table";
import { requireAdmin } from "@/lib/next/admin-session";
import { getRuntime } from "@/lib/runtime";

export const metadata: Metadata = { title: "API resources" };

export default async function ApiResourcesPage() {
  const { principal } = await requireAdmin("/admin/api-resources");
  const { admin } = await getRuntime();
  const [apis, identities] = await Promise.all([
    admin.directory.apiResources.list(principal, { pageSize: 100 }),
    admin.directory.identityResources.list(principal),
  ]);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="API resources"
        action={
          <Link href="/admin/api-resources/new" className={linkButton}>
            New API resource
          </Link>
        }
      />
      <Table caption="API resources" head={["Name (audience)", "Display name", "Algorithm", "Scopes"]} empty={apis.items.length === 0}>
        {apis.items.map((r) => (
          <tr key={r.name}>
            <td className="px-4 py-2 font-mono">
              <Link className="text-indigo-700 underline" href={`/admin/api-resources/${encodeURIComponent(r.name)}`}>
                {r.name}
              </Link>
            </td>
            <td className="px-4 py-2">{r.display_name ?? ""}</td>
            <td className="px-4 py-2">{r.signing_alg}</td>
            <td className="px-4 py-2 font-mono text-slate-600">{r.scopes.map((s) => s.name).join(" ")}</td>
          </tr>
        ))}
      </Table>
      <h2 className="text-lg font-semibold">Identity resources</h2>
      <Table caption="Identity resources" head={["Name", "Display name", "Claims"]} empty={identities.length === 0}>
        {identities.map((r) => (
          <tr key={r.name}>
            <td className="px-4 py-2 font-mono">
              <Link className="text-indigo-700 underline" href={`/admin/api-resources/${encodeURIComponent(r.name)}`}>
                {r.name}
              </Link>
            </td>
            <td className="px-4 py-2">{r.display_name ?? ""}</td>
            <td className="px-4 py-2 font-mono text-slate-600">{r.claims.join(" ")}</td>
          </tr>
        ))}
      </Table>
    </div>
  );
}
