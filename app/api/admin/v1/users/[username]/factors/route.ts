import { adminApi } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";
type P = { username: string };
export const GET = adminApi<P>(({ rt, principal, params }) => rt.admin.factors.get(principal, params.username));
