import { adminApi } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";
export const DELETE = adminApi<{ username: string }>(async ({ rt, principal, params }) =>
  rt.admin.directory.sessions.revokeAllOf(principal, params.username),
);
