import { adminApi } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";
export const PUT = adminApi<{ username: string }>(async ({ rt, principal, params, body }) => {
  await rt.admin.directory.users.setPassword(principal, params.username, await body());
});
