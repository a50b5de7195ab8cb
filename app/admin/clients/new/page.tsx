import type { Metadata } from "next";
import Link from "next/link";
import { ClientForm } from "@/components/admin/client-form";
import { CLIENT_KINDS, isClientKind, newClientForm } from "@/lib/admin/kinds";
import { adminFormToken, requireAdmin, textParam } from "@/lib/next/admin-session";
import { createClient } from "../actions";

export const metadata: Metadata = { title: "New client" };

export default async function NewClientPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const asked = textParam((await searchParams).kind);
  const kind = isClientKind(asked) ? asked : undefined;
  await requireAdmin(kind ? `/admin/clients/new?kind=${kind}` : "/admin/clients/new");
  if (!kind) {
    return (
      <div className="flex flex-col gap-6">
        <h1 className="text-2xl font-bold tracking-tight">What are you connecting?</h1>
        <ul className="grid gap-4 sm:grid-cols-2">
          {Object.entries(CLIENT_KINDS).map(([k, v]) => (
            <li key={k}>
              <Link
                href={`/admin/clients/new?kind=${k}`}
                className="flex h-full flex-col gap-1 rounded-xl border border-slate-200 bg-white p-5 shadow-sm hover:border-indigo-300 focus-visible:outline-2 focus-visible:outline-indigo-600"
              >
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
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">New client: {k.label}</h1>
        <p className="mt-1 text-sm text-slate-600">
          {k.help}{" "}
          <Link className="text-indigo-700 underline" href="/admin/clients/new">
            Choose another kind
          </Link>
        </p>
      </div>
      <section className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <ClientForm mode="create" defaults={newClientForm(kind)} csrf={await adminFormToken()} submit={createClient} />
      </section>
    </div>
  );
}
