import { adminApi, listQuery } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";
export const GET = adminApi(({ req, rt }) => rt.admin.directory.users.list(listQuery(req)));
export const POST = adminApi(async ({ rt, actor, body }) => rt.admin.directory.users.save(actor, await body()), 201);
