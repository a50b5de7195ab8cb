import { adminApi } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";
export const DELETE = adminApi<{ username: string; id: string }>(async ({ rt, principal, params }) => {
  await rt.admin.directory.users.removeExternalLogin(principal, params.username, params.id);
});
