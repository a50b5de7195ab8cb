import { adminApi } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";
export const PUT = adminApi<{ username: string }>(async ({ rt, actor, params, body }) => { await rt.admin.directory.users.setPassword(actor, params.username, await body()); });
