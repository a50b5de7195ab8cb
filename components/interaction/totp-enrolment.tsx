"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { RecoveryCodes } from "./recovery-codes";

export interface EnrolmentState {
  error?: string;
  /** set once the app is confirmed: shown once, never stored in the page's URL */
  codes?: string[];
  /** where to go on after the codes were saved */
  continueUrl?: string;
}

/**
 * Setting up an authenticator app: the QR code, the secret for typing in, and the first code.
 * The action's answer (the recovery codes) is state, not a URL, so the codes are shown once;
 * without JavaScript React posts the form and renders the answer the same way.
 */
export function TotpEnrolment({
  qr,
  secret,
  fields,
  action,
  continueLabel = "Continue",
}: {
  qr: string;
  secret: string;
  /** hidden fields (csrf, interaction or next) */
  fields: Record<string, string>;
  action: (previous: EnrolmentState, data: FormData) => Promise<EnrolmentState>;
  continueLabel?: string;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  if (state.codes) {
    return (
      <div className="flex flex-col gap-4">
        <Alert tone="info">Your authenticator app is set up.</Alert>
        <RecoveryCodes codes={state.codes} />
        {state.continueUrl ? (
          <a
            href={state.continueUrl}
            className="inline-flex items-center justify-center rounded-lg bg-indigo-600 px-4 py-2.5 text-sm font-semibold text-white hover:bg-indigo-700"
          >
            {continueLabel}
          </a>
        ) : null}
      </div>
    );
  }
  return (
    <form action={formAction} className="flex flex-col gap-4">
      {Object.entries(fields).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <ol className="list-decimal space-y-2 pl-5 text-sm text-slate-700">
        <li>Scan this QR code with your authenticator app.</li>
        <li>Or type this key into the app by hand:</li>
      </ol>
      <img src={qr} alt="QR code for your authenticator app" width={192} height={192} className="rounded border border-slate-200" />
      <p className="text-sm">
        Setup key:{" "}
        <code data-testid="totp-secret" className="font-mono break-all">
          {secret}
        </code>
      </p>
      {state.error ? <Alert>{state.error}</Alert> : null}
      <Field
        id="enrol-code"
        name="code"
        label="Code from the app"
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={10}
        required
      />
      <Button type="submit" disabled={pending}>
        Confirm
      </Button>
    </form>
  );
}
