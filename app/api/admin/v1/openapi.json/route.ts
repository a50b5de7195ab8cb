import { adminOpenApi } from "@/lib/admin/openapi";
import { getRuntime } from "@/lib/runtime";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const { provider } = await getRuntime();
  return Response.json(adminOpenApi(provider.settings.issuer), { headers: { "Cache-Control": "public, max-age=300" } });
}
