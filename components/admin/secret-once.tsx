"use client";

/** A newly generated secret: shown here once, never stored in plain, gone after reload. */
export function SecretOnce({ secret, what = "client secret" }: { secret: string; what?: string }) {
  return (
    <div role="status" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900">
      <p className="font-semibold">Copy this {what} now. It will not be shown again.</p>
      <p className="mt-2 font-mono break-all select-all" data-testid="new-secret">
        {secret}
      </p>
    </div>
  );
}
