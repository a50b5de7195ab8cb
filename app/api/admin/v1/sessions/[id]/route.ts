import { adminApi } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";
export const DELETE = adminApi<{ id: string }>(async ({ rt, actor, params }) => { await rt.admin.directory.sessions.revoke(actor, params.id); });
