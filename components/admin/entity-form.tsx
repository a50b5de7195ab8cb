"use client";

import { useState, useTransition, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import {
  useForm,
  type DefaultValues,
  type FieldErrors,
  type FieldValues,
  type Path,
  type Resolver,
  type UseFormReturn,
} from "react-hook-form";
import type { z } from "zod";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/next/admin-action";
import { plainError } from "@/lib/schemas/messages";
import { SecretOnce } from "./secret-once";

type ProblemPath = string | readonly PropertyKey[];

/** Where a form shows the problems of each path: a field's name, or "root" for the top of the form. */
export interface FieldMap {
  field(path: ProblemPath): string;
  /** the words shown for a problem (default: its message) */
  message?(path: ProblemPath, message: string): string;
}

/** By default a problem shows at the field named by its path's first part (scopes[0].name -> scopes). */
const firstPart: FieldMap = { field: (path) => (typeof path === "string" ? path : path.map(String).join(".")).split(/[.[]/)[0] || "root" };

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let node = target;
  for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Record<string, unknown>;
  node[parts.at(-1)!] ??= value;
}

/** Each problem beside its field (the first one per field); those for the top of the form together. */
function errorsOf<V extends FieldValues>(problems: { path: ProblemPath; message: string }[], map: FieldMap): FieldErrors<V> {
  const errors: Record<string, unknown> = {};
  const top: string[] = [];
  for (const p of problems) {
    const field = map.field(p.path);
    const message = map.message ? map.message(p.path, p.message) : p.message;
    if (field === "root") top.push(message);
    else setPath(errors, field, { type: "validation", message });
  }
  if (top.length) errors.root = { type: "validation", message: top.join(" ") };
  return errors as FieldErrors<V>;
}

/** [field name, message] of every error, nested ones by their dotted name. */
function flatten(errors: Record<string, unknown>, prefix = ""): [string, string][] {
  return Object.entries(errors).flatMap(([k, v]) => {
    const name = prefix ? `${prefix}.${k}` : k;
    const { message } = v as { message?: unknown };
    return typeof message === "string" ? [[name, message] as [string, string]] : flatten(v as Record<string, unknown>, name);
  });
}

/**
 * A console form: react-hook-form with the API's zod schema applied to the converted values, so
 * the browser, the server action and the REST API check the same rules; the server's problems
 * land beside the same fields. A secret the action returns is shown once before moving on.
 */
export function EntityForm<V extends FieldValues>({
  defaults,
  schema,
  convert,
  submit,
  csrf,
  label,
  fields = firstPart,
  children,
}: {
  defaults: DefaultValues<V>;
  schema: z.ZodType;
  convert: (v: V) => Record<string, unknown>;
  submit: (csrf: string, values: V) => Promise<ActionResult>;
  csrf: string;
  label: string;
  fields?: FieldMap;
  children: (form: UseFormReturn<V>, error: (name: string) => string | undefined) => ReactNode;
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [created, setCreated] = useState<{ secret: string; next?: string } | null>(null);
  const resolver: Resolver<V> = async (values) => {
    const parsed = schema.safeParse(convert(values), { error: plainError });
    if (parsed.success) return { values, errors: {} };
    return { values: {}, errors: errorsOf<V>(parsed.error.issues, fields) };
  };
  const form = useForm<V>({ resolver, defaultValues: defaults, mode: "onTouched" });
  const e = form.formState.errors;
  const error = (name: string) =>
    (name.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], e) as { message?: string } | undefined)
      ?.message;

  if (created) {
    return (
      <div className="flex flex-col gap-4">
        <SecretOnce secret={created.secret} />
        <Button type="button" onClick={() => (created.next ? router.push(created.next) : setCreated(null))}>
          I have copied the secret
        </Button>
      </div>
    );
  }

  const onSubmit = form.handleSubmit((values) =>
    start(async () => {
      setMessage(null);
      setSaved(false);
      const r = await submit(csrf, values);
      if (!r.ok) {
        setMessage(r.message);
        for (const [name, text] of flatten(errorsOf<V>(r.fields ?? [], fields)))
          form.setError(name as Path<V> | "root", { type: "server", message: text });
        return;
      }
      if (r.secret) setCreated({ secret: r.secret, next: r.next });
      else if (r.next) router.push(r.next);
      else {
        setSaved(true);
        router.refresh();
      }
    }),
  );

  return (
    <form noValidate className="flex flex-col gap-6" onSubmit={onSubmit}>
      {message ? <Alert>{message}</Alert> : null}
      {e.root?.message ? <Alert>{e.root.message}</Alert> : null}
      {children(form, error)}
      <div className="flex items-center justify-end gap-3">
        {saved ? (
          <p role="status" className="text-sm text-green-700">
            Saved.
          </p>
        ) : null}
        <Button type="submit" disabled={pending}>
          {label}
        </Button>
      </div>
    </form>
  );
}
