import { adminApi } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";

export const POST = adminApi<{ clientId: string }>(async ({ rt, actor, params, body }) => rt.admin.clients.addSecret(actor, params.clientId, await body()), 201);
