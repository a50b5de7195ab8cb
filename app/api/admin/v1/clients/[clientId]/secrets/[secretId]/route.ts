import { adminApi } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";

export const DELETE = adminApi<{ clientId: string; secretId: string }>(async ({ rt, principal, params }) => {
  await rt.admin.clients.removeSecret(principal, params.clientId, params.secretId);
});
