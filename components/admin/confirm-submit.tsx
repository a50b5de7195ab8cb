"use client";

import { useState } from "react";

/**
 * The submit button of a small destructive form: the first click asks, inline; the second
 * submits the form to its server action.
 */
export function ConfirmSubmit({ label, question }: { label: string; question: string }) {
  const [asking, setAsking] = useState(false);
  const cls = "rounded-md px-3 py-1.5 text-sm font-medium ring-1";
  if (!asking)
    return (
      <button type="button" className={`${cls} bg-white ring-slate-300 hover:bg-slate-50`} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  return (
    <span role="group" aria-label={question} className="inline-flex flex-wrap items-center gap-2">
      <span className="text-sm text-red-800">{question}</span>
      <button type="submit" className={`${cls} bg-red-600 text-white ring-red-600 hover:bg-red-700`}>
        Yes, {label.toLowerCase()}
      </button>
      <button type="button" className={`${cls} bg-white ring-slate-300`} onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
