import { adminApi } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";

export const GET = adminApi(({ rt, principal }) => rt.admin.identityProviders.list(principal));

export const POST = adminApi(async ({ rt, principal, body }) => rt.admin.identityProviders.create(principal, await body()), 201);
