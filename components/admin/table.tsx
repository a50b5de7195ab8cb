import type { ReactNode } from "react";

/** The console's data table: a caption for screen readers, header cells with scope. */
export function Table({ caption, head, children, empty }: { caption: string; head: string[]; children: ReactNode; empty?: boolean }) {
  return (
    // Focusable and named: a wide table scrolls sideways, and keyboard users must reach it (axe scrollable-region-focusable).
    <div tabIndex={0} role="region" aria-label={caption} className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table className="min-w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-slate-600">
          <tr>
            {head.map((h) => (
              <th key={h} scope="col" className="px-4 py-2 font-medium">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {children}
          {empty ? (
            <tr>
              <td colSpan={head.length} className="px-4 py-6 text-center text-slate-500">
                Nothing here yet.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}

export function PageHeader({ title, action }: { title: string; action?: ReactNode }) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-3">
      <h1 className="text-2xl font-bold tracking-tight">{title}</h1>
      {action}
    </div>
  );
}

export const linkButton = "rounded-lg bg-indigo-600 px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-indigo-700";
export const smallButton = "rounded-md bg-white px-3 py-1.5 text-sm font-medium ring-1 ring-slate-300 hover:bg-slate-50";

/** Server-side paging links; `href(page)` keeps the page's other query parameters. */
export function Pager({
  page,
  pageSize,
  total,
  noun,
  href,
}: {
  page: number;
  pageSize: number;
  total: number;
  noun: string;
  href: (page: number) => string;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav aria-label="Pages" className="flex items-center gap-3 text-sm">
      {page > 1 ? (
        <a className="text-indigo-700 underline" href={href(page - 1)}>
          Previous
        </a>
      ) : null}
      <span>
        Page {page} of {pages} ({total} {noun})
      </span>
      {page < pages ? (
        <a className="text-indigo-700 underline" href={href(page + 1)}>
          Next
        </a>
      ) : null}
    </nav>
  );
}

/** A GET search form: the list pages search on the server. */
export function SearchForm({ label, placeholder, value }: { label: string; placeholder: string; value?: string }) {
  return (
    <form role="search" className="flex gap-2">
      <label htmlFor="search" className="sr-only">
        {label}
      </label>
      <input
        id="search"
        name="search"
        defaultValue={value}
        placeholder={placeholder}
        className="w-full max-w-sm rounded-lg border border-slate-300 px-3 py-2 text-sm"
      />
      <button type="submit" className="rounded-lg bg-white px-4 py-2 text-sm font-semibold ring-1 ring-slate-300 hover:bg-slate-50">
        Search
      </button>
    </form>
  );
}
