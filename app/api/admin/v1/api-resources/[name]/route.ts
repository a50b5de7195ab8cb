import { adminApi } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";
type P = { name: string };
export const GET = adminApi<P>(({ rt, principal, params }) => rt.admin.directory.apiResources.get(principal, params.name));
export const PUT = adminApi<P>(async ({ rt, principal, params, body }) =>
  rt.admin.directory.apiResources.save(principal, await body(), params.name),
);
export const DELETE = adminApi<P>(async ({ rt, principal, params }) => {
  await rt.admin.directory.apiResources.remove(principal, params.name);
});
