import type { Metadata } from "next";
import { ClientForm } from "@/components/admin/client-form";
import { ClientSecrets } from "@/components/admin/client-secrets";
import { DeleteClient } from "@/components/admin/delete-client";
import { adminFormToken, orNotFound, pathParam, requireAdmin } from "@/lib/next/admin-session";
import { toForm } from "@/lib/schemas/client-form";
import { getRuntime } from "@/lib/runtime";
import { addSecret, deleteClient, removeSecret, updateClient } from "../actions";

export const metadata: Metadata = { title: "Client" };

export default async function ClientPage({ params }: { params: Promise<{ clientId: string }> }) {
  const { clientId } = await params;
  const { principal } = await requireAdmin(`/admin/clients/${clientId}`);
  const { admin } = await getRuntime();
  const client = await orNotFound(admin.clients.get(principal, pathParam(clientId)));
  const csrf = await adminFormToken();
  const { secrets, created_at: _c, updated_at: _u, ...settings } = client;
  const confidential = client.token_endpoint_auth_method === "client_secret_basic" || client.token_endpoint_auth_method === "client_secret_post";
  const update = updateClient.bind(null, client.client_id);
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold tracking-tight">{client.client_name} <span className="font-mono text-base font-normal text-slate-500">{client.client_id}</span></h1>
        <DeleteClient clientId={client.client_id} csrf={csrf} remove={deleteClient} />
      </div>
      <section aria-labelledby="settings" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <h2 id="settings" className="mb-4 text-lg font-semibold">Settings</h2>
        <ClientForm mode="edit" defaults={toForm(settings)} csrf={csrf} submit={update} />
      </section>
      {confidential ? (
        <section aria-labelledby="secrets" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
          <h2 id="secrets" className="mb-4 text-lg font-semibold">Secrets</h2>
          <ClientSecrets clientId={client.client_id} csrf={csrf} add={addSecret} remove={removeSecret}
            secrets={secrets.map((s) => ({ id: s.id, description: s.description, createdAt: s.createdAt.toISOString(), expiresAt: s.expiresAt?.toISOString() ?? null }))} />
        </section>
      ) : null}
    </div>
  );
}
