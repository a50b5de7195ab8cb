import { adminApi, listQuery } from "@/lib/next/admin-api";

export const dynamic = "force-dynamic";
export const GET = adminApi(({ req, rt, principal }) => {
  const q = new URL(req.url).searchParams;
  const pick = (k: string) => q.get(k) ?? undefined;
  return rt.admin.directory.audit.list(principal, {
    ...listQuery(req),
    type: pick("type"),
    actor: pick("actor"),
    subject: pick("subject"),
    clientId: pick("client_id"),
  });
});
