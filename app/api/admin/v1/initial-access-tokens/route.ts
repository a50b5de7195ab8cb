import { adminApi } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";

export const GET = adminApi(async ({ rt, principal }) => ({ items: await rt.admin.registration.list(principal) }));

export const POST = adminApi(async ({ rt, principal, body }) => rt.admin.registration.issue(principal, await body()), 201);
