import type { Metadata } from "next";
import { ClientForm } from "@/components/admin/client-form";
import { ClientSecrets } from "@/components/admin/client-secrets";
import { DeleteEntity } from "@/components/admin/delete-entity";
import { adminFormToken, orNotFound, pathParam, requireAdmin } from "@/lib/next/admin-session";
import { toForm } from "@/lib/schemas/client-form";
import { usesSecret } from "@/lib/schemas/client";
import { getRuntime } from "@/lib/runtime";
import { addSecret, deleteClient, removeSecret, updateClient } from "../actions";

export const metadata: Metadata = { title: "Client" };

export default async function ClientPage({ params }: { params: Promise<{ clientId: string }> }) {
  const { clientId } = await params;
  const { principal } = await requireAdmin(`/admin/clients/${clientId}`);
  const { admin } = await getRuntime();
  const client = await orNotFound(admin.clients.get(principal, pathParam(clientId)));
  const csrf = await adminFormToken();
  const { secrets, created_at: _c, updated_at: _u, registered_dynamically: dynamic, ...settings } = client;
  const update = updateClient.bind(null, client.client_id);
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold tracking-tight">
          {client.client_name} <span className="font-mono text-base font-normal text-slate-500">{client.client_id}</span>
          {dynamic ? (
            <span className="ml-3 rounded-full bg-amber-100 px-2 py-0.5 align-middle text-xs font-medium text-amber-800">
              registered dynamically
            </span>
          ) : null}
        </h1>
        <DeleteEntity id={client.client_id} csrf={csrf} remove={deleteClient} what="client" consequence="Its tokens stop working." />
      </div>
      <section aria-labelledby="settings" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <h2 id="settings" className="mb-4 text-lg font-semibold">
          Settings
        </h2>
        <ClientForm mode="edit" defaults={toForm(settings)} csrf={csrf} submit={update} />
      </section>
      {usesSecret(client.token_endpoint_auth_method) ? (
        <section aria-labelledby="secrets" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
          <h2 id="secrets" className="mb-4 text-lg font-semibold">
            Secrets
          </h2>
          <ClientSecrets
            clientId={client.client_id}
            csrf={csrf}
            add={addSecret}
            remove={removeSecret}
            secrets={secrets.map((s) => ({
              id: s.id,
              description: s.description,
              createdAt: s.createdAt.toISOString(),
              expiresAt: s.expiresAt?.toISOString() ?? null,
            }))}
          />
        </section>
      ) : null}
    </div>
  );
}
