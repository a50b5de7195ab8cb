"use client";

import { useRouter } from "next/navigation";
import { ConfirmButton } from "./confirm-button";
import type { FormResult } from "./entity-form";

export function DeleteEntity({ id, csrf, remove, what }: { id: string; csrf: string; remove: (csrf: string, id: string) => Promise<FormResult>; what: string }) {
  const router = useRouter();
  return (
    <ConfirmButton label={`Delete ${what}`} confirmLabel="Delete" question={`Delete ${id}? This cannot be undone.`}
      onConfirm={async () => { const r = await remove(csrf, id); if (r.ok && r.next) router.push(r.next); }} />
  );
}
