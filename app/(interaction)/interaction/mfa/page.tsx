import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthShell } from "@/components/ui/auth-shell";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { PasskeyFactor } from "@/components/interaction/passkey-factor";
import { TotpEnrolment } from "@/components/interaction/totp-enrolment";
import { errorMessage } from "@/lib/next/login";
import { mfaPage, mfaTargetOf } from "@/lib/next/second-factor";
import { relyingParty } from "@/lib/auth/passkeys";
import { getRuntime } from "@/lib/runtime";
import { confirmEnrolment, mfaPasskey, mfaPasskeyOptions, startEnrolment, verifySecondFactor } from "./actions";

export const metadata: Metadata = { title: "Two-step verification" };
export const dynamic = "force-dynamic";

type Search = { interaction?: string; next?: string; error?: string; method?: string };

export default async function SecondFactorPage({ searchParams }: { searchParams: Promise<Search> }) {
  const search = await searchParams;
  const target = mfaTargetOf(search);
  const view = await mfaPage(target);
  if (view.kind === "request_expired") {
    return (
      <AuthShell title="Two-step verification">
        <Alert>This sign-in request has expired or is unknown. Go back to the application and start again.</Alert>
      </AuthShell>
    );
  }
  if (view.kind === "sign_in_expired") redirect(view.signInUrl);
  const fields = { csrf: view.csrf, ...target };
  const hidden = Object.entries(fields).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />);
  const error = errorMessage(search.error);
  const here = (extra: Record<string, string>) => `/interaction/mfa?${new URLSearchParams({ ...target, ...extra })}`;

  if (view.needsEnrolment) {
    return (
      <AuthShell title="Set up two-step verification" subtitle="This application asks for a second step when you sign in.">
        {error ? <Alert>{error}</Alert> : null}
        {view.enrolment ? (
          <TotpEnrolment qr={view.enrolment.qr} secret={view.enrolment.secret} fields={fields} action={confirmEnrolment} />
        ) : (
          <form action={startEnrolment} className="flex flex-col gap-4">
            {hidden}
            <p className="text-sm text-slate-700">Use an authenticator app on your phone to make a new code each time you sign in.</p>
            <Button type="submit">Set up an authenticator app</Button>
          </form>
        )}
      </AuthShell>
    );
  }

  const recovery = search.method === "recovery" && view.factors.totp;
  return (
    <AuthShell
      title="Two-step verification"
      subtitle={
        recovery ? "Enter one of your recovery codes." : view.factors.totp ? "Enter the code from your authenticator app." : undefined
      }
    >
      <div className="flex flex-col gap-5">
        {error ? <Alert>{error}</Alert> : null}
        {view.factors.totp ? (
          <form action={verifySecondFactor} className="flex flex-col gap-4">
            {hidden}
            <input type="hidden" name="method" value={recovery ? "recovery" : "totp"} />
            {recovery ? (
              <Field
                id="code"
                name="code"
                label="Recovery code"
                autoComplete="off"
                autoCapitalize="none"
                spellCheck={false}
                maxLength={20}
                required
                autoFocus
              />
            ) : (
              <Field
                id="code"
                name="code"
                label="Code"
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={10}
                required
                autoFocus
              />
            )}
            <Button type="submit">Verify</Button>
          </form>
        ) : null}
        <PasskeyFactor
          rpOrigin={relyingParty((await getRuntime()).provider).origin}
          start={mfaPasskeyOptions.bind(null, search.interaction ?? "", search.next ?? "", view.csrf)}
          finish={mfaPasskey.bind(null, search.interaction ?? "", search.next ?? "", view.csrf)}
          mode={view.mode}
          passkeys={view.factors.passkeys}
          continueUrl={view.continueUrl}
          csrf={view.csrf}
          {...target}
        />
        {view.factors.totp ? (
          <p className="text-center text-sm">
            <a href={here(recovery ? {} : { method: "recovery" })} className="font-medium text-indigo-700 hover:underline">
              {recovery ? "Use your authenticator app" : "Use a recovery code"}
            </a>
          </p>
        ) : null}
      </div>
    </AuthShell>
  );
}
