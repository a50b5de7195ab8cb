"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/next/admin-action";
import type { PortalSettings } from "@/lib/settings/schema";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

type Save = (previous: ActionResult | null, data: FormData) => Promise<ActionResult>;

function Check({ name, label, hint, checked }: { name: string; label: string; hint: string; checked: boolean }) {
  return (
    <label className="flex items-start gap-3 text-sm">
      <input type="checkbox" name={name} defaultChecked={checked} className="mt-1" />
      <span>
        <span className="font-medium text-slate-800">{label}</span>
        <span className="block text-slate-500">{hint}</span>
      </span>
    </label>
  );
}

/** The console's settings form; the server checks every field and answers with plain-words errors by field. */
export function SettingsForm({
  settings,
  claims,
  csrf,
  action,
}: {
  settings: PortalSettings;
  claims: { claim: string; label: string }[];
  csrf: string;
  action: Save;
}) {
  const [result, run, pending] = useActionState(action, null);
  const fieldError = (path: string) =>
    result && !result.ok ? result.fields?.find((f) => f.path === path || f.path.startsWith(`${path}[`))?.message : undefined;
  const s = settings.signUp;
  return (
    <form action={run} noValidate className="flex max-w-2xl flex-col gap-8">
      <input type="hidden" name="csrf" value={csrf} />
      {result?.ok ? <Alert tone="info">The settings were saved.</Alert> : null}
      {result && !result.ok ? <Alert>{result.message}</Alert> : null}
      <fieldset className="flex flex-col gap-4">
        <legend className="mb-2 text-base font-semibold">Sign-up</legend>
        <Check
          name="signUp.enabled"
          label="Anyone may create an account"
          hint="Adds “Create an account” to the sign-in page."
          checked={s.enabled}
        />
        <Check
          name="signUp.requireVerifiedEmail"
          label="A new account confirms its email before it signs in"
          hint="Recommended: otherwise sign-up tells whether an address already has an account."
          checked={s.requireVerifiedEmail}
        />
        <div>
          <p className="text-sm font-medium text-slate-700">Claims the sign-up form requires</p>
          <div className="mt-2 grid grid-cols-2 gap-2 sm:grid-cols-3">
            {claims.map((c) => (
              <label key={c.claim} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  name="signUp.requiredClaims"
                  value={c.claim}
                  defaultChecked={s.requiredClaims.includes(c.claim as never)}
                />
                {c.label}
              </label>
            ))}
          </div>
          {fieldError("signUp.requiredClaims") ? <p className="mt-1 text-sm text-red-600">{fieldError("signUp.requiredClaims")}</p> : null}
        </div>
        <Field
          id="terms-url"
          name="signUp.termsUrl"
          label="Terms of service (https address, optional)"
          defaultValue={s.termsUrl ?? ""}
          error={fieldError("signUp.termsUrl")}
        />
        <Field
          id="privacy-url"
          name="signUp.privacyUrl"
          label="Privacy notice (https address, optional)"
          defaultValue={s.privacyUrl ?? ""}
          error={fieldError("signUp.privacyUrl")}
        />
      </fieldset>
      <fieldset className="flex flex-col gap-4">
        <legend className="mb-2 text-base font-semibold">Passwords</legend>
        <Field
          id="min-length"
          name="password.minLength"
          inputMode="numeric"
          label="Shortest password (8 to 64 characters)"
          defaultValue={String(settings.password.minLength)}
          error={fieldError("password.minLength")}
        />
      </fieldset>
      <fieldset className="flex flex-col gap-4">
        <legend className="mb-2 text-base font-semibold">Second factor</legend>
        <Check
          name="mfa.required"
          label="Every user needs a second factor"
          hint="Users without one are led to set one up at sign-in."
          checked={settings.mfa.required}
        />
      </fieldset>
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save settings"}
        </Button>
      </div>
    </form>
  );
}
