import type { Metadata } from "next";
import { ApiResourceForm } from "@/components/admin/resource-forms";
import { ClientSecrets } from "@/components/admin/client-secrets";
import { DeleteEntity } from "@/components/admin/delete-entity";
import { PageHeader } from "@/components/admin/table";
import { adminFormToken, orNotFound, pathParam, requireAdmin } from "@/lib/next/admin-session";
import { apiResourceToForm } from "@/lib/schemas/admin-forms";
import { getRuntime } from "@/lib/runtime";
import { addApiSecret, deleteApiResource, removeApiSecret, updateApiResource } from "../actions";

export const metadata: Metadata = { title: "API resource" };

export default async function ApiResourcePage({ params }: { params: Promise<{ name: string }> }) {
  const raw = (await params).name;
  const { principal } = await requireAdmin(`/admin/api-resources/${raw}`);
  const { admin } = await getRuntime();
  const resource = await orNotFound(admin.directory.apiResources.get(principal, pathParam(raw)));
  const csrf = await adminFormToken();
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title={resource.display_name ?? resource.name}
        action={<DeleteEntity id={resource.name} csrf={csrf} remove={deleteApiResource} what="API resource" />}
      />
      <section aria-labelledby="settings" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <h2 id="settings" className="mb-4 text-lg font-semibold">
          Settings
        </h2>
        <ApiResourceForm csrf={csrf} submit={updateApiResource.bind(null, resource.name)} defaults={apiResourceToForm(resource)} />
      </section>
      <section aria-labelledby="secrets" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <h2 id="secrets" className="mb-4 text-lg font-semibold">
          Introspection secrets
        </h2>
        <ClientSecrets
          clientId={resource.name}
          csrf={csrf}
          add={addApiSecret}
          remove={removeApiSecret}
          secrets={resource.secrets.map((s) => ({
            id: s.id,
            description: s.description,
            createdAt: s.createdAt.toISOString(),
            expiresAt: s.expiresAt?.toISOString() ?? null,
          }))}
        />
      </section>
    </div>
  );
}
