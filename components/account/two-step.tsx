import { Button } from "@/components/ui/button";
import { TotpEnrolment, type EnrolmentState } from "@/components/interaction/totp-enrolment";
import type { TotpEnrolment as Enrolment } from "@/lib/auth/factors";
import { RegenerateCodes } from "./regenerate-codes";

type Form = (data: FormData) => Promise<void>;

/** The security page's "Two-step verification" panel. */
export function TwoStepPanel({
  state,
  csrf,
  actions,
}: {
  state: { totp: boolean; recoveryCodesLeft: number; passkeys: number; enrolment: Enrolment | null };
  csrf: string;
  actions: {
    start: Form;
    confirm: (previous: EnrolmentState, data: FormData) => Promise<EnrolmentState>;
    regenerate: (previous: { codes?: string[]; error?: string }, data: FormData) => Promise<{ codes?: string[]; error?: string }>;
    remove: Form;
  };
}) {
  return (
    <section aria-labelledby="two-step-heading" className="mt-10">
      <h2 id="two-step-heading" className="text-base font-semibold">
        Two-step verification
      </h2>
      <p className="mt-1 text-sm text-slate-500">After your password, sign-in asks for a code from an authenticator app on your phone.</p>
      <div className="mt-4 flex max-w-md flex-col gap-4">
        {state.totp ? (
          <>
            <p className="text-sm">
              Authenticator app: <strong>on</strong>. Recovery codes left:{" "}
              <strong data-testid="codes-left">{state.recoveryCodesLeft}</strong>.
            </p>
            <RegenerateCodes csrf={csrf} action={actions.regenerate} />
            <form action={actions.remove}>
              <input type="hidden" name="csrf" value={csrf} />
              <Button type="submit" variant="danger">
                Remove authenticator app
              </Button>
            </form>
          </>
        ) : state.enrolment ? (
          <TotpEnrolment
            qr={state.enrolment.qr}
            secret={state.enrolment.secret}
            fields={{ csrf }}
            action={actions.confirm}
            continueLabel="Done"
          />
        ) : (
          <form action={actions.start}>
            <input type="hidden" name="csrf" value={csrf} />
            <Button type="submit">Set up authenticator app</Button>
          </form>
        )}
      </div>
    </section>
  );
}
