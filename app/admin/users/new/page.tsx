import type { Metadata } from "next";
import { UserForm } from "@/components/admin/resource-forms";
import { PageHeader } from "@/components/admin/table";
import { adminFormToken, requireAdmin } from "@/lib/next/admin-session";
import { createUser } from "../actions";

export const metadata: Metadata = { title: "New user" };

export default async function NewUserPage() {
  await requireAdmin("/admin/users/new");
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="New user" />
      <section className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <UserForm csrf={await adminFormToken()} submit={createUser} />
      </section>
    </div>
  );
}
