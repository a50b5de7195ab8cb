import { adminApi } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";

export const POST = adminApi<{ id: string }>(({ rt, principal, params }) => rt.admin.identityProviders.check(principal, params.id));
