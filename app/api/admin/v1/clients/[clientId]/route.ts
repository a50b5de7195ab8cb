import { adminApi } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";
type P = { clientId: string };

export const GET = adminApi<P>(({ rt, principal, params }) => rt.admin.clients.get(principal, params.clientId));
export const PUT = adminApi<P>(async ({ rt, principal, params, body }) =>
  rt.admin.clients.update(principal, params.clientId, await body()),
);
export const DELETE = adminApi<P>(async ({ rt, principal, params }) => {
  await rt.admin.clients.remove(principal, params.clientId);
});
