import { adminApi } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";
type P = { clientId: string };

export const GET = adminApi<P>(({ rt, params }) => rt.admin.clients.get(params.clientId));
export const PUT = adminApi<P>(async ({ rt, actor, params, body }) => rt.admin.clients.update(actor, params.clientId, await body()));
export const DELETE = adminApi<P>(async ({ rt, actor, params }) => { await rt.admin.clients.remove(actor, params.clientId); });
