import type { Metadata } from "next";
import Link from "next/link";
import { ClientForm } from "@/components/admin/client-form";
import { CLIENT_KINDS, type ClientKind } from "@/lib/admin/kinds";
import { adminFormToken, requireAdmin, textParam } from "@/lib/next/admin-session";
import type { ClientFormValues } from "@/lib/schemas/client-form";
import { createClient } from "../actions";

export const metadata: Metadata = { title: "New client" };

export default async function NewClientPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const asked = textParam((await searchParams).kind);
  // Own keys only: `toString` or `__proto__` are no kind of client.
  const kind = asked && Object.hasOwn(CLIENT_KINDS, asked) ? (asked as ClientKind) : undefined;
  await requireAdmin(kind ? `/admin/clients/new?kind=${kind}` : "/admin/clients/new");
  if (!kind) {
    return (
      <div className="flex flex-col gap-6">
        <h1 className="text-2xl font-bold tracking-tight">What are you connecting?</h1>
        <ul className="grid gap-4 sm:grid-cols-2">
          {Object.entries(CLIENT_KINDS).map(([k, v]) => (
            <li key={k}>
              <Link href={`/admin/clients/new?kind=${k}`} className="flex h-full flex-col gap-1 rounded-xl border border-slate-200 bg-white p-5 shadow-sm hover:border-indigo-300 focus-visible:outline-2 focus-visible:outline-indigo-600">
                <span className="font-semibold">{v.label}</span>
                <span className="text-sm text-slate-600">{v.help}</span>
              </Link>
            </li>
          ))}
        </ul>
      </div>
    );
  }
  const k = CLIENT_KINDS[kind];
  const interactive = kind !== "machine";
  const defaults: ClientFormValues = {
    client_id: "", client_name: "", token_endpoint_auth_method: k.auth, grant_types: [...k.grants],
    redirect_uris: "", post_logout_redirect_uris: "", scope: k.scope,
    portcullis: {
      kind, enabled: true, access_token_format: "jwt", access_token_lifetime: 3600, id_token_lifetime: 300,
      authorization_code_lifetime: 60, refresh_token_absolute_lifetime: 2592000, refresh_token_sliding_lifetime: 1296000,
      refresh_token_reuse_grace: 5, allow_offline_access: interactive, require_pkce: true, require_consent: true, allow_remember_consent: true,
    },
  };
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">New client: {k.label}</h1>
        <p className="mt-1 text-sm text-slate-600">{k.help} <Link className="text-indigo-700 underline" href="/admin/clients/new">Choose another kind</Link></p>
      </div>
      <section className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <ClientForm mode="create" defaults={defaults} csrf={await adminFormToken()} submit={createClient} />
      </section>
    </div>
  );
}
