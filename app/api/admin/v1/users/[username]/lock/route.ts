import { adminApi } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";
type P = { username: string };
export const POST = adminApi<P>(async ({ rt, actor, params }) => { await rt.admin.directory.users.setLocked(actor, params.username, true); });
export const DELETE = adminApi<P>(async ({ rt, actor, params }) => { await rt.admin.directory.users.setLocked(actor, params.username, false); });
