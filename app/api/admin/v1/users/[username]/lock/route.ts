import { adminApi } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";
type P = { username: string };
export const POST = adminApi<P>(async ({ rt, principal, params }) => {
  await rt.admin.directory.users.setLocked(principal, params.username, true);
});
export const DELETE = adminApi<P>(async ({ rt, principal, params }) => {
  await rt.admin.directory.users.setLocked(principal, params.username, false);
});
