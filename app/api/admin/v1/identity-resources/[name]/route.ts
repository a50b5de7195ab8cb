import { adminApi } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";
export const DELETE = adminApi<{ name: string }>(async ({ rt, principal, params }) => {
  await rt.admin.directory.identityResources.remove(principal, params.name);
});
