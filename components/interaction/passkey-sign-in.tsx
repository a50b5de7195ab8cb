"use client";

import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { browserSupportsWebAuthn, browserSupportsWebAuthnAutofill, startAuthentication } from "@simplewebauthn/browser";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import type { PasskeyAnswer } from "@/lib/schemas/passkey-answers";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ceremonyErrorMessage } from "./ceremony-error";

/** `autofill`: which of the page's two ceremonies (the waiting autofill offer, or the button's) */
type Start = (autofill: boolean) => Promise<PasskeyAnswer<{ options: PublicKeyCredentialRequestOptionsJSON }>>;
type Finish = (autofill: boolean, response: string) => Promise<PasskeyAnswer<{ redirect: string }>>;

const noSubscription = () => () => {};

/**
 * "Use a passkey" (sign in with one), and the same offer in the username field's autofill where the
 * browser supports conditional mediation (the field carries autocomplete="username webauthn").
 * Without JavaScript the button does nothing and the password form still works.
 */
export function PasskeySignIn({
  start,
  finish,
  rpOrigin,
  autofill = true,
  // Not "Sign in with a passkey": the password form's "Sign in" button must stay the only button
  // whose name contains "Sign in" (the browser specs find it by that name).
  label = "Use a passkey",
}: {
  start: Start;
  finish: Finish;
  /** where the issuer's passkeys work (its origin), for the wrong-address message */
  rpOrigin: string;
  autofill?: boolean;
  label?: string;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // false on the server and before hydration: without script a passkey cannot sign in anyway.
  const supported = useSyncExternalStore(noSubscription, browserSupportsWebAuthn, () => false);
  const latest = useRef(0);

  async function run(useBrowserAutofill: boolean) {
    const attempt = ++latest.current;
    const started = await start(useBrowserAutofill);
    if (!started.ok) {
      if (!useBrowserAutofill) setError(started.message);
      return;
    }
    const response = await startAuthentication({ optionsJSON: started.options, useBrowserAutofill });
    setBusy(true);
    const done = await finish(useBrowserAutofill, JSON.stringify(response));
    if (done.ok) {
      window.location.assign(done.redirect);
      return;
    }
    if (attempt === latest.current) setError(done.message);
    setBusy(false);
  }

  function attempt(useBrowserAutofill: boolean) {
    setError(null);
    run(useBrowserAutofill).catch((err: unknown) => {
      setBusy(false);
      const message = ceremonyErrorMessage(err, rpOrigin);
      if (message) setError(message);
    });
  }

  useEffect(() => {
    if (!autofill) return;
    let cancelled = false;
    void browserSupportsWebAuthnAutofill().then((yes) => {
      if (yes && !cancelled) attempt(true);
    });
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per page: the autofill offer waits for the user
  }, []);

  if (!supported) return null;
  return (
    <div className="mt-4 flex flex-col gap-3">
      {error ? <Alert>{error}</Alert> : null}
      <Button type="button" variant="secondary" className="sm:w-full" disabled={busy} onClick={() => attempt(false)}>
        {busy ? "Signing in…" : label}
      </Button>
    </div>
  );
}
