"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { RecoveryCodes } from "@/components/interaction/recovery-codes";

type State = { codes?: string[]; error?: string };

/** New recovery codes replace the old ones; the answer is state, so they are shown once. */
export function RegenerateCodes({ csrf, action }: { csrf: string; action: (previous: State, data: FormData) => Promise<State> }) {
  const [state, formAction, pending] = useActionState(action, {});
  if (state.codes) return <RecoveryCodes codes={state.codes} />;
  return (
    <form action={formAction} className="flex flex-col gap-2">
      <input type="hidden" name="csrf" value={csrf} />
      {state.error ? <Alert>{state.error}</Alert> : null}
      <Button type="submit" variant="secondary" disabled={pending}>
        Regenerate recovery codes
      </Button>
    </form>
  );
}
