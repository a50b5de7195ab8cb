import { adminApi } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";
type P = { name: string };
export const GET = adminApi<P>(({ rt, params }) => rt.admin.directory.apiResources.get(params.name));
export const PUT = adminApi<P>(async ({ rt, actor, params, body }) => rt.admin.directory.apiResources.save(actor, await body(), params.name));
export const DELETE = adminApi<P>(async ({ rt, actor, params }) => { await rt.admin.directory.apiResources.remove(actor, params.name); });
