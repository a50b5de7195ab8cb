import type { Metadata } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import { consoleViewer } from "@/lib/next/admin-session";
import { ADMIN_API_CSRF } from "@/lib/next/admin-api";
import { formToken } from "@/lib/auth/csrf";
import { browserCookies } from "@/lib/next/request";
import { getRuntime } from "@/lib/runtime";

export const metadata: Metadata = { title: { default: "Admin", template: "%s · Admin · Portcullis" } };
export const dynamic = "force-dynamic";

const NAV = [
  { href: "/admin", label: "Overview" },
  { href: "/admin/clients", label: "Clients" },
  { href: "/admin/registration", label: "Registration" },
  { href: "/admin/api-resources", label: "Resources" },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/identity-providers", label: "Identity providers" },
  { href: "/admin/sessions", label: "Sessions" },
  { href: "/admin/keys", label: "Keys" },
  { href: "/admin/audit", label: "Audit" },
  { href: "/admin/outbox", label: "Outbox" },
  { href: "/admin/settings", label: "Settings" },
];

/**
 * The console's frame. Access is decided by each page (requireAdmin) and again by the services
 * it calls, not here: Next skips this layout on client-side navigations. For anyone but an admin
 * the frame shows nothing, and the page answers with its redirect or 403.
 */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const actor = await consoleViewer();
  if (!actor) return <>{children}</>;
  const { provider } = await getRuntime();
  const apiCsrf = await formToken(provider, (await browserCookies()).csrf, ADMIN_API_CSRF);
  return (
    <div className="min-h-screen">
      {/* The X-CSRF-Token a script of this browser sends with admin API changes. */}
      <meta name="portcullis-api-csrf" content={apiCsrf} />
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3 sm:px-6">
          <Link href="/admin" className="text-sm font-semibold tracking-wide text-indigo-600 uppercase">
            Portcullis admin
          </Link>
          <nav aria-label="Admin" className="flex flex-wrap gap-1">
            {NAV.map((n) => (
              <Link
                key={n.href}
                href={n.href}
                className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600"
              >
                {n.label}
              </Link>
            ))}
          </nav>
          <span className="text-sm text-slate-500">
            Signed in as <span className="font-medium text-slate-800">{actor.username ?? actor.name}</span>
          </span>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-8 sm:px-6">{children}</main>
    </div>
  );
}
