"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

export interface SignUpFormState {
  errors: Record<string, string>;
  values: Record<string, string>;
  form?: string;
}

/**
 * The sign-up form. The server action answers with the field errors and what was typed (never
 * the passwords); without JavaScript the form posts as plain HTML and the page shows the same.
 */
export function SignUpForm({
  action,
  interaction,
  csrf,
  claims,
  minLength,
  termsUrl,
  privacyUrl,
}: {
  action: (prev: SignUpFormState, data: FormData) => Promise<SignUpFormState>;
  interaction?: string;
  csrf: string;
  claims: { claim: string; label: string }[];
  minLength: number;
  termsUrl?: string;
  privacyUrl?: string;
}) {
  const [state, formAction, pending] = useActionState(action, { errors: {}, values: {} });
  const e = state.errors;
  const v = state.values;
  return (
    <form action={formAction} noValidate className="flex flex-col gap-5">
      {state.form ? <Alert>{state.form}</Alert> : null}
      {Object.keys(e).length ? <Alert>Some fields need a change: see below.</Alert> : null}
      <input type="hidden" name="csrf" value={csrf} />
      {interaction ? <input type="hidden" name="interaction" value={interaction} /> : null}
      <Field
        id="username"
        name="username"
        label="Username"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        defaultValue={v.username}
        error={e.username}
      />
      <Field id="email" name="email" type="email" label="Email" autoComplete="email" defaultValue={v.email} error={e.email} />
      {claims.map((c) => (
        <Field
          key={c.claim}
          id={`claim-${c.claim}`}
          name={`claim.${c.claim}`}
          label={c.label}
          defaultValue={v[`claim.${c.claim}`]}
          error={e[`claim.${c.claim}`]}
        />
      ))}
      <Field id="password" name="password" type="password" label="Password" autoComplete="new-password" error={e.password} />
      <Field id="confirm" name="confirm" type="password" label="Repeat the password" autoComplete="new-password" error={e.confirm} />
      <p className="-mt-3 text-xs text-slate-500">
        At least {minLength} characters; not a common password, and not your username or email.
      </p>
      {termsUrl || privacyUrl ? (
        <div className="flex flex-col gap-1.5">
          <label className="flex items-start gap-2 text-sm text-slate-700">
            <input
              type="checkbox"
              name="accept"
              value="yes"
              defaultChecked={v.accept === "yes"}
              aria-invalid={e.accept ? true : undefined}
              className="mt-1"
            />
            <span>
              I accept the{" "}
              {termsUrl ? (
                <a href={termsUrl} target="_blank" rel="noreferrer" className="font-medium text-indigo-700 underline">
                  terms of service
                </a>
              ) : null}
              {termsUrl && privacyUrl ? " and the " : null}
              {privacyUrl ? (
                <a href={privacyUrl} target="_blank" rel="noreferrer" className="font-medium text-indigo-700 underline">
                  privacy notice
                </a>
              ) : null}
              .
            </span>
          </label>
          {e.accept ? <p className="text-sm text-red-600">{e.accept}</p> : null}
        </div>
      ) : null}
      <Button type="submit" disabled={pending}>
        {pending ? "Creating your account…" : "Create account"}
      </Button>
    </form>
  );
}
