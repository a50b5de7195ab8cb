import { adminApi } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";
export const DELETE = adminApi<{ username: string }>(async ({ rt, actor, params }) => rt.admin.directory.sessions.revokeAllOf(actor, params.username));
