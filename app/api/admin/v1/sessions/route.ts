import { adminApi, listQuery } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";
export const GET = adminApi(({ req, rt, principal }) => rt.admin.directory.sessions.list(principal, listQuery(req)));
