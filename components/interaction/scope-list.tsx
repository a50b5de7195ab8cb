import type { ScopeView } from "@/lib/oidc";

/** The requested scopes as checkboxes (the consent and device pages): what cannot be declined is ticked and fixed. */
export function ScopeList({ legend, scopes }: { legend: string; scopes: ScopeView[] }) {
  return (
    <fieldset>
      <legend className="text-sm font-medium text-slate-700">{legend}</legend>
      <ul className="mt-2 divide-y divide-slate-100 rounded-lg border border-slate-200">
        {scopes.map((s) => (
          <li key={s.name} className="flex items-start gap-3 px-3 py-3">
            <input
              id={`scope-${s.name}`}
              type="checkbox"
              name="scopes"
              value={s.name}
              defaultChecked
              disabled={s.required}
              className="mt-1 h-4 w-4 rounded border-slate-300 text-indigo-600"
            />
            {s.required ? <input type="hidden" name="scopes" value={s.name} /> : null}
            <label htmlFor={`scope-${s.name}`} className="flex flex-col text-sm">
              <span className={s.emphasize ? "font-semibold text-slate-900" : "text-slate-900"}>
                {s.displayName ?? s.name}
                {s.required ? <span className="ml-1 text-xs font-normal text-slate-500">(required)</span> : null}
              </span>
              {s.description ? <span className="text-slate-500">{s.description}</span> : null}
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
