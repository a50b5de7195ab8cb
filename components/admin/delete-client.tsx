"use client";

import { useRouter } from "next/navigation";
import { ConfirmButton } from "./confirm-button";
import type { ActionResult } from "@/app/admin/clients/actions";

export function DeleteClient({ clientId, csrf, remove }: { clientId: string; csrf: string; remove: (csrf: string, clientId: string) => Promise<ActionResult> }) {
  const router = useRouter();
  return (
    <ConfirmButton label="Delete client" confirmLabel="Delete" question={`Delete ${clientId}? Its tokens stop working.`}
      onConfirm={async () => { await remove(csrf, clientId); router.push("/admin/clients"); }} />
  );
}
