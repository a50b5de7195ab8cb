"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { ConfirmButton } from "./confirm-button";
import { SecretOnce } from "./secret-once";
import type { ActionResult } from "@/lib/next/admin-action";

export interface SecretRow {
  id: string;
  description: string | null;
  createdAt: string;
  expiresAt: string | null;
}

export function ClientSecrets({
  clientId,
  secrets,
  csrf,
  add,
  remove,
}: {
  clientId: string;
  secrets: SecretRow[];
  csrf: string;
  add: (csrf: string, clientId: string, description: string) => Promise<ActionResult>;
  remove: (csrf: string, clientId: string, secretId: string) => Promise<ActionResult>;
}) {
  const router = useRouter();
  const [fresh, setFresh] = useState<string | null>(null);
  const [description, setDescription] = useState("");
  const [pending, start] = useTransition();
  return (
    <div className="flex flex-col gap-4">
      {fresh ? <SecretOnce secret={fresh} /> : null}
      {secrets.length === 0 ? (
        <p className="text-sm text-slate-600">No secrets.</p>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200" aria-label="Secrets">
          {secrets.map((s) => (
            <li key={s.id} className="flex flex-wrap items-center justify-between gap-3 px-3 py-2 text-sm">
              <span>
                <span className="font-medium">{s.description ?? "Secret"}</span>
                <span className="ml-2 text-slate-500">
                  created {s.createdAt.slice(0, 10)}
                  {s.expiresAt ? `, expires ${s.expiresAt.slice(0, 10)}` : ""}
                </span>
              </span>
              <ConfirmButton
                label="Delete"
                confirmLabel="Delete secret"
                question="Delete this secret? Apps using it stop working."
                onConfirm={async () => {
                  await remove(csrf, clientId, s.id);
                  router.refresh();
                }}
              />
            </li>
          ))}
        </ul>
      )}
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
        <div className="grow">
          <Field
            id="secret-description"
            label="Description of a new secret"
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </div>
        <Button
          type="button"
          disabled={pending}
          onClick={() =>
            start(async () => {
              const r = await add(csrf, clientId, description);
              if (r.ok && r.secret) {
                setFresh(r.secret);
                setDescription("");
                router.refresh();
              }
            })
          }
        >
          Generate secret
        </Button>
      </div>
    </div>
  );
}
