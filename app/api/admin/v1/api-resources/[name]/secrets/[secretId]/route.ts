import { adminApi } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";
export const DELETE = adminApi<{ name: string; secretId: string }>(async ({ rt, principal, params }) => {
  await rt.admin.directory.apiResources.removeSecret(principal, params.name, params.secretId);
});
