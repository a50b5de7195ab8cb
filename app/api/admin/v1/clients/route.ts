import { adminApi } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";

export const GET = adminApi(({ req, rt }) => {
  const q = new URL(req.url).searchParams;
  return rt.admin.clients.list({ search: q.get("search") ?? undefined, page: Number(q.get("page") ?? 1) || 1, pageSize: Number(q.get("page_size") ?? 25) || 25 });
});

export const POST = adminApi(async ({ rt, actor, body }) => rt.admin.clients.create(actor, await body()), 201);
