import type { Metadata } from "next";
import Link from "next/link";
import { getRuntime } from "@/lib/runtime";
import { requireAdmin } from "@/lib/next/admin-session";
import { PageHeader, Table, linkButton } from "@/components/admin/table";
import { ProviderIcon } from "@/components/interaction/external-buttons";
import { typeDefaults } from "@/lib/auth/external/settings";

export const metadata: Metadata = { title: "Identity providers" };

export default async function IdentityProvidersPage() {
  const { principal } = await requireAdmin("/admin/identity-providers");
  const { admin } = await getRuntime();
  const [{ items }, links] = await Promise.all([admin.identityProviders.list(principal), admin.identityProviders.linkCounts(principal)]);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Identity providers"
        action={
          <Link href="/admin/identity-providers/new" className={linkButton}>
            Add identity provider
          </Link>
        }
      />
      <p className="max-w-3xl text-sm text-slate-600">
        Other services people can sign in with (GitHub, Google, your company&apos;s OpenID provider). Each enabled one is a button on the
        login page.
      </p>
      <Table
        caption="External identity providers"
        head={["ID", "Name", "Type", "Status", "Email domains", "Linked logins"]}
        empty={items.length === 0}
      >
        {items.map((p) => {
          const d = typeDefaults(p.type);
          return (
            <tr key={p.id}>
              <td className="px-4 py-2 font-mono">
                <Link className="text-indigo-700 underline" href={`/admin/identity-providers/${encodeURIComponent(p.id)}`}>
                  {p.id}
                </Link>
              </td>
              <td className="px-4 py-2">{p.display_name}</td>
              <td className="px-4 py-2">
                <span className="inline-flex items-center gap-2 whitespace-nowrap">
                  <ProviderIcon icon={d.icon} />
                  {d.icon ? d.displayName : p.type === "oidc" ? "OpenID Connect" : "OAuth 2.0"}
                </span>
              </td>
              <td className="px-4 py-2">
                {p.enabled ? (
                  <span className="rounded bg-green-100 px-1.5 py-0.5 text-xs font-semibold text-green-800">enabled</span>
                ) : (
                  <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs font-semibold text-slate-700">disabled</span>
                )}
              </td>
              <td className="px-4 py-2 text-slate-600">{p.email_domains.join(", ") || "none"}</td>
              <td className="px-4 py-2 tabular-nums">{links[p.id] ?? 0}</td>
            </tr>
          );
        })}
      </Table>
    </div>
  );
}
