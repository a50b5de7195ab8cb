import { adminApi, listQuery } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";

export const GET = adminApi(({ req, rt }) => rt.admin.clients.list(listQuery(req)));

export const POST = adminApi(async ({ rt, actor, body }) => rt.admin.clients.create(actor, await body()), 201);
