import { adminApi } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";
type P = { id: string };

export const GET = adminApi<P>(({ rt, principal, params }) => rt.admin.identityProviders.get(principal, params.id));
export const PUT = adminApi<P>(async ({ rt, principal, params, body }) =>
  rt.admin.identityProviders.replace(principal, params.id, await body()),
);
export const PATCH = adminApi<P>(async ({ rt, principal, params, body }) =>
  rt.admin.identityProviders.update(principal, params.id, await body()),
);
export const DELETE = adminApi<P>(async ({ rt, principal, params }) => {
  await rt.admin.identityProviders.remove(principal, params.id);
});
