import { adminApi } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";

export const DELETE = adminApi<{ id: string }>(async ({ rt, principal, params }) => {
  await rt.admin.registration.revoke(principal, params.id);
});
