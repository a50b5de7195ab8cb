import { adminApi } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";

export const DELETE = adminApi<{ clientId: string; secretId: string }>(async ({ rt, actor, params }) => {
  await rt.admin.clients.removeSecret(actor, params.clientId, params.secretId);
});
