"use client";

import { useState, useTransition, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import { useForm, type DefaultValues, type FieldValues, type Path, type Resolver, type UseFormReturn } from "react-hook-form";
import type { z } from "zod";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { plainError } from "@/lib/schemas/messages";

export type { ActionResult as FormResult } from "@/lib/next/admin-action";
import type { ActionResult as FormResult } from "@/lib/next/admin-action";

/** Maps an API path (scopes[0].name) to the form field that shows it (scopes). */
const fieldOf = (path: string) => path.split(/[.[]/)[0] || "root";

/**
 * A console form: react-hook-form with the API's zod schema applied to the converted values;
 * server-side field errors land beside the same fields.
 */
export function EntityForm<V extends FieldValues>({ defaults, schema, convert, submit, csrf, label, children }: {
  defaults: DefaultValues<V>;
  schema: z.ZodType;
  convert: (v: V) => Record<string, unknown>;
  submit: (csrf: string, values: V) => Promise<FormResult>;
  csrf: string;
  label: string;
  children: (form: UseFormReturn<V>, error: (name: Path<V>) => string | undefined) => ReactNode;
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const resolver: Resolver<V> = async (values) => {
    const parsed = schema.safeParse(convert(values), { error: plainError });
    if (parsed.success) return { values, errors: {} };
    const errors: Record<string, { type: string; message: string }> = {};
    for (const i of parsed.error.issues) errors[fieldOf(i.path.map(String).join("."))] ??= { type: "validation", message: i.message };
    return { values: {}, errors: errors as never };
  };
  const form = useForm<V>({ resolver, defaultValues: defaults, mode: "onTouched" });
  const error = (name: Path<V>) => (form.formState.errors as Record<string, { message?: string } | undefined>)[name]?.message;
  return (
    <form noValidate className="flex flex-col gap-5" onSubmit={form.handleSubmit((values) => start(async () => {
      setSaved(false);
      const r = await submit(csrf, values);
      if (!r.ok) {
        setMessage(r.message);
        for (const f of r.fields ?? []) form.setError(fieldOf(f.path) as Path<V>, { type: "server", message: f.message });
        return;
      }
      setMessage(null);
      if (r.next) router.push(r.next);
      else { setSaved(true); router.refresh(); }
    }))}>
      {message ? <Alert>{message}</Alert> : null}
      {form.formState.errors.root?.message ? <Alert>{form.formState.errors.root.message}</Alert> : null}
      {children(form, error)}
      <div className="flex items-center justify-end gap-3">
        {saved ? <p role="status" className="text-sm text-green-700">Saved.</p> : null}
        <Button type="submit" disabled={pending}>{label}</Button>
      </div>
    </form>
  );
}
