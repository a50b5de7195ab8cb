import { adminApi, listQuery } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";
export const GET = adminApi(({ req, rt, principal }) => rt.admin.directory.apiResources.list(principal, listQuery(req)));
export const POST = adminApi(async ({ rt, principal, body }) => rt.admin.directory.apiResources.save(principal, await body()), 201);
