/** Request facts for server actions and pages (Next layer only). */
import { cookies, headers } from "next/headers";
import { Cookies } from "../oidc";
import { clientAddressFromHeaders } from "../server/client-ip";

export async function browserCookies(): Promise<{ session?: string; csrf?: string }> {
  const jar = await cookies();
  return { session: jar.get(Cookies.session)?.value, csrf: jar.get(Cookies.csrf)?.value };
}

export async function clientMeta(): Promise<{ ipAddress?: string; userAgent?: string }> {
  const h = await headers();
  return { ipAddress: clientAddressFromHeaders(h), userAgent: h.get("user-agent") ?? undefined };
}
