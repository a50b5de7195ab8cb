import { adminApi } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";
export const DELETE = adminApi<{ name: string; secretId: string }>(async ({ rt, actor, params }) => { await rt.admin.directory.apiResources.removeSecret(actor, params.name, params.secretId); });
