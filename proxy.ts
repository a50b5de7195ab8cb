/**
 * Gives every browser that opens a portal page with a form a CSRF cookie (random, HttpOnly,
 * SameSite=Strict). Forms carry an HMAC of it (lib/auth/interaction-views.ts formToken), so a
 * cross-site page can neither read nor forge the token; Next also checks Origin on actions.
 */
import { NextResponse, type NextRequest } from "next/server";
import { Cookies } from "@/lib/oidc/constants";

export function proxy(req: NextRequest) {
  if (req.cookies.get(Cookies.csrf)) return NextResponse.next();
  const value = crypto.randomUUID() + crypto.randomUUID();
  req.cookies.set(Cookies.csrf, value);
  const res = NextResponse.next({ request: { headers: req.headers } });
  res.cookies.set(Cookies.csrf, value, {
    httpOnly: true, sameSite: "strict", path: "/", secure: (process.env.PORTCULLIS_ISSUER ?? "").startsWith("https:"),
  });
  return res;
}

export const config = { matcher: ["/interaction/:path*", "/account/:path*", "/admin/:path*"] };
