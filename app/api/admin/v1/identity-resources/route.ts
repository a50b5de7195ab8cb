import { adminApi } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";
export const GET = adminApi(({ rt }) => rt.admin.directory.identityResources.list());
export const POST = adminApi(async ({ rt, actor, body }) => rt.admin.directory.identityResources.save(actor, await body()), 201);
