import { adminApi } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";
type P = { username: string };
export const POST = adminApi<P>(({ rt, principal, params }) => rt.admin.factors.reset(principal, params.username));
