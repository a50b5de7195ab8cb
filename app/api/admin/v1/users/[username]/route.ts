import { adminApi } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";
type P = { username: string };
export const GET = adminApi<P>(({ rt, params }) => rt.admin.directory.users.get(params.username));
export const PUT = adminApi<P>(async ({ rt, actor, params, body }) => rt.admin.directory.users.save(actor, await body(), params.username));
export const DELETE = adminApi<P>(async ({ rt, actor, params }) => { await rt.admin.directory.users.remove(actor, params.username); });
