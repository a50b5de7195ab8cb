import Link from "next/link";
import { requireAdmin } from "@/lib/next/admin-session";
import { getRuntime } from "@/lib/runtime";

export default async function AdminHome() {
  const { principal } = await requireAdmin("/admin");
  const { admin } = await getRuntime();
  const clients = await admin.clients.list(principal, { pageSize: 1 });
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-bold tracking-tight">Overview</h1>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <Link href="/admin/clients" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm hover:border-indigo-300">
          <p className="text-sm text-slate-500">Clients</p>
          <p className="mt-1 text-3xl font-semibold" data-testid="client-count">
            {clients.total}
          </p>
        </Link>
      </div>
      <p className="text-sm text-slate-600">
        Automation uses the same operations through the REST API described by{" "}
        <a className="text-indigo-700 underline" href="/api/admin/v1/openapi.json">
          /api/admin/v1/openapi.json
        </a>
        .
      </p>
    </div>
  );
}
