"use client";

import { useRouter } from "next/navigation";
import type { ActionResult } from "@/lib/next/admin-action";
import { ConfirmButton } from "./confirm-button";

/** Deletes an entry after asking, then goes where the action says. */
export function DeleteEntity({
  id,
  csrf,
  remove,
  what,
  consequence = "This cannot be undone.",
}: {
  id: string;
  csrf: string;
  remove: (csrf: string, id: string) => Promise<ActionResult>;
  what: string;
  consequence?: string;
}) {
  const router = useRouter();
  return (
    <ConfirmButton
      label={`Delete ${what}`}
      confirmLabel="Delete"
      question={`Delete ${id}? ${consequence}`}
      onConfirm={async () => {
        const r = await remove(csrf, id);
        if (r.ok && r.next) router.push(r.next);
      }}
    />
  );
}
