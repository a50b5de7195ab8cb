"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";

/** A destructive action that asks first, inline (keyboard and screen-reader friendly). */
export function ConfirmButton({
  label,
  confirmLabel,
  question,
  onConfirm,
}: {
  label: string;
  confirmLabel: string;
  question: string;
  onConfirm: () => Promise<void>;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!asking)
    return (
      <Button type="button" variant="secondary" onClick={() => setAsking(true)}>
        {label}
      </Button>
    );
  return (
    <div role="group" aria-label={question} className="flex flex-wrap items-center gap-2 rounded-lg border border-red-200 bg-red-50 p-2">
      <span className="text-sm text-red-800">{question}</span>
      <Button
        type="button"
        variant="danger"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          await onConfirm();
          setBusy(false);
          setAsking(false);
        }}
      >
        {confirmLabel}
      </Button>
      <Button type="button" variant="secondary" onClick={() => setAsking(false)}>
        Cancel
      </Button>
    </div>
  );
}
