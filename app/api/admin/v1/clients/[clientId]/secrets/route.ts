import { adminApi } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";

export const POST = adminApi<{ clientId: string }>(
  async ({ rt, principal, params, body }) => rt.admin.clients.addSecret(principal, params.clientId, await body()),
  201,
);
