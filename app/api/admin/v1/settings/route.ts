import { adminApi } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";
export const GET = adminApi(({ rt, principal }) => rt.settings.read(principal));
export const PUT = adminApi(async ({ rt, principal, body }) => rt.settings.update(principal, await body()));
