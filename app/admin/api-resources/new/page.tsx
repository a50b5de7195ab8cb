import type { Metadata } from "next";
import { ApiResourceForm } from "@/components/admin/resource-forms";
import { PageHeader } from "@/components/admin/table";
import { adminFormToken, requireAdmin } from "@/lib/next/admin-session";
import { createApiResource } from "../actions";

export const metadata: Metadata = { title: "New API resource" };

export default async function NewApiResourcePage() {
  await requireAdmin("/admin/api-resources/new");
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="New API resource" />
      <section className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <ApiResourceForm csrf={await adminFormToken()} submit={createApiResource} />
      </section>
    </div>
  );
}
