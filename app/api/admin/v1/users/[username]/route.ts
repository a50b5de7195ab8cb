import { adminApi } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";
type P = { username: string };
export const GET = adminApi<P>(({ rt, principal, params }) => rt.admin.directory.users.get(principal, params.username));
export const PUT = adminApi<P>(async ({ rt, principal, params, body }) =>
  rt.admin.directory.users.save(principal, await body(), params.username),
);
export const DELETE = adminApi<P>(async ({ rt, principal, params }) => {
  await rt.admin.directory.users.remove(principal, params.username);
});
