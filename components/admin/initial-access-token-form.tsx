"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { SecretOnce } from "./secret-once";
import type { ActionResult } from "@/lib/next/admin-action";

type Values = { description: string; expires_at: string; max_uses: string };

/** Issues an initial access token for dynamic client registration and shows it once. */
export function InitialAccessTokenForm({ csrf, issue }: { csrf: string; issue: (csrf: string, values: Values) => Promise<ActionResult> }) {
  const router = useRouter();
  const [values, setValues] = useState<Values>({ description: "", expires_at: "", max_uses: "" });
  const [fresh, setFresh] = useState<string | null>(null);
  const [problem, setProblem] = useState<ActionResult | null>(null);
  const [pending, start] = useTransition();
  const fieldError = (name: string) => (problem && !problem.ok ? problem.fields?.find((f) => f.path === name)?.message : undefined);
  const set = (name: keyof Values) => (e: React.ChangeEvent<HTMLInputElement>) => setValues({ ...values, [name]: e.target.value });
  return (
    <div className="flex flex-col gap-4">
      {fresh ? <SecretOnce secret={fresh} what="initial access token" /> : null}
      <div className="grid gap-3 sm:grid-cols-3">
        <Field
          id="iat-description"
          label="Description"
          value={values.description}
          onChange={set("description")}
          error={fieldError("description")}
        />
        <Field
          id="iat-expires"
          label="Expires (optional)"
          type="datetime-local"
          value={values.expires_at}
          onChange={set("expires_at")}
          error={fieldError("expires_at")}
        />
        <Field
          id="iat-max-uses"
          label="Registrations allowed (optional)"
          type="number"
          min={1}
          value={values.max_uses}
          onChange={set("max_uses")}
          error={fieldError("max_uses")}
        />
      </div>
      {problem && !problem.ok ? (
        <p role="alert" className="text-sm text-red-700">
          {problem.message}
        </p>
      ) : null}
      <div>
        <Button
          type="button"
          disabled={pending}
          onClick={() =>
            start(async () => {
              const expires = values.expires_at ? new Date(values.expires_at).toISOString() : "";
              const r = await issue(csrf, { ...values, expires_at: expires });
              setProblem(r);
              if (r.ok && r.secret) {
                setFresh(r.secret);
                setValues({ description: "", expires_at: "", max_uses: "" });
                router.refresh();
              }
            })
          }
        >
          Issue token
        </Button>
      </div>
    </div>
  );
}
