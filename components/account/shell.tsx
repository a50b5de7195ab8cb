import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";

/** The account area's pages, in the order of the navigation. */
export const ACCOUNT_PAGES = [
  { href: "/account", label: "Profile" },
  { href: "/account/security", label: "Security" },
  { href: "/account/sessions", label: "Sessions" },
  { href: "/account/apps", label: "Apps" },
  { href: "/account/links", label: "Linked logins" },
] as const;
export type AccountPagePath = (typeof ACCOUNT_PAGES)[number]["href"];

/**
 * The frame of every signed-in account page: a header with the user and sign-out, the
 * navigation (a scrolling row on a phone, a column on a desktop), the page's notice and content.
 * Navigation only: each page asks its service, which decides who is signed in.
 */
export function AccountShell({
  current,
  name,
  username,
  signOut,
  notice,
  children,
}: {
  current: AccountPagePath;
  name: string;
  username: string;
  /** the sign-out form (the page renders it: it carries the CSRF token) */
  signOut: ReactNode;
  notice?: { tone: "error" | "info"; text: string } | null;
  children: ReactNode;
}) {
  const title = ACCOUNT_PAGES.find((p) => p.href === current)!.label;
  return (
    <div className="min-h-screen bg-slate-50">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-5xl items-center justify-between gap-4 px-4 py-3">
          <div className="min-w-0">
            <p className="text-xs font-semibold tracking-wide text-indigo-600 uppercase">Portcullis account</p>
            <p className="truncate text-sm text-slate-700">
              <span className="font-medium text-slate-900">{name}</span>
              {name !== username ? <span className="text-slate-500"> · {username}</span> : null}
            </p>
          </div>
          <div className="shrink-0">{signOut}</div>
        </div>
      </header>
      <div className="mx-auto flex max-w-5xl flex-col gap-6 px-4 py-6 md:flex-row md:py-10">
        <nav aria-label="Account" className="md:w-48 md:shrink-0">
          <ul className="flex flex-wrap gap-1 md:flex-col">
            {ACCOUNT_PAGES.map((p) => (
              <li key={p.href} className="shrink-0">
                <a
                  href={p.href}
                  aria-current={p.href === current ? "page" : undefined}
                  className={`block rounded-lg px-3 py-2 text-sm font-medium whitespace-nowrap ${
                    p.href === current ? "bg-indigo-600 text-white" : "text-slate-700 hover:bg-slate-200"
                  }`}
                >
                  {p.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main className="min-w-0 flex-1">
          <div className="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm sm:p-8">
            <h1 className="text-xl font-bold tracking-tight sm:text-2xl">{title}</h1>
            {notice ? (
              <div className="mt-4">
                <Alert tone={notice.tone}>{notice.text}</Alert>
              </div>
            ) : null}
            {children}
          </div>
        </main>
      </div>
    </div>
  );
}
