"use client";

import { useActionState, type ReactNode } from "react";
import type { ActionResult } from "@/lib/next/admin-action";

export type Command = (previous: ActionResult | null, data: FormData) => Promise<ActionResult>;

/**
 * A small form that runs one console command (lock, revoke, rotate) with the page's CSRF token
 * and the entry it acts on; when the command fails it says why, beside its button.
 */
export function CommandForm({
  action,
  csrf,
  fields = {},
  children,
}: {
  action: Command;
  csrf: string;
  fields?: Record<string, string>;
  children: ReactNode;
}) {
  const [result, run] = useActionState(action, null);
  return (
    <form action={run}>
      <input type="hidden" name="csrf" value={csrf} />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
      {result && !result.ok ? (
        <p role="alert" className="mt-1 text-sm text-red-700">
          {result.message}
        </p>
      ) : null}
    </form>
  );
}
