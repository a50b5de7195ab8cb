import { adminApi } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";
export const DELETE = adminApi<{ username: string; id: string }>(async ({ rt, actor, params }) => { await rt.admin.directory.users.removeExternalLogin(actor, params.username, params.id); });
