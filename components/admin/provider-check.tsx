"use client";

import { useActionState } from "react";
import type { CheckFinding, ProviderCheck } from "@/lib/auth/external/check";
import type { ActionResult } from "@/lib/next/admin-action";

type CheckState = { result: ProviderCheck | null; failure: ActionResult | null };

const MARK: Record<CheckFinding["level"], { word: string; cls: string }> = {
  ok: { word: "OK", cls: "bg-green-100 text-green-800" },
  warning: { word: "Warning", cls: "bg-amber-100 text-amber-900" },
  error: { word: "Problem", cls: "bg-red-100 text-red-800" },
  info: { word: "Note", cls: "bg-slate-100 text-slate-700" },
};

/** The Check button and its findings: a plain form (CSRF token, provider id) that also works without JavaScript. */
export function ProviderCheckPanel({
  id,
  csrf,
  action,
}: {
  id: string;
  csrf: string;
  action: (previous: CheckState | null, data: FormData) => Promise<CheckState>;
}) {
  const [state, run, pending] = useActionState(action, null);
  const result = state?.result;
  const failure = state?.failure && !state.failure.ok ? state.failure.message : null;
  return (
    <div className="flex flex-col gap-3">
      <form action={run} className="flex flex-wrap items-center gap-3">
        <input type="hidden" name="csrf" value={csrf} />
        <input type="hidden" name="id" value={id} />
        <button
          type="submit"
          disabled={pending}
          className="rounded-lg bg-indigo-600 px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-indigo-700 disabled:opacity-60"
        >
          {pending ? "Checking…" : "Check"}
        </button>
        <span className="text-sm text-slate-600">Reads the provider&apos;s discovery document and keys now; changes nothing.</span>
      </form>
      <div aria-live="polite">
        {failure ? (
          <p role="alert" className="text-sm text-red-700">
            {failure}
          </p>
        ) : null}
        {result ? (
          <div className="flex flex-col gap-2" data-testid="check-result">
            <p className={`text-sm font-semibold ${result.ok ? "text-green-800" : "text-red-800"}`}>
              {result.ok
                ? result.findings.some((f) => f.level === "warning")
                  ? "OK, with warnings."
                  : "OK: nothing wrong found."
                : "Something is wrong: see the problems below."}
            </p>
            <ul className="flex flex-col gap-1.5">
              {result.findings.map((f, i) => (
                <li key={i} className="flex items-start gap-2 text-sm">
                  <span className={`shrink-0 rounded px-1.5 py-0.5 text-xs font-semibold ${MARK[f.level].cls}`}>{MARK[f.level].word}</span>
                  <span className="min-w-0 [overflow-wrap:anywhere]">{f.message}</span>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </div>
    </div>
  );
}
