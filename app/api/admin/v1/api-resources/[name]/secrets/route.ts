import { adminApi } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";
export const POST = adminApi<{ name: string }>(
  async ({ rt, principal, params, body }) => rt.admin.directory.apiResources.addSecret(principal, params.name, await body()),
  201,
);
