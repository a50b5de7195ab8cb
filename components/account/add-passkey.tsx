"use client";

import { useState, useSyncExternalStore } from "react";
import { useRouter } from "next/navigation";
import { browserSupportsWebAuthn, startRegistration } from "@simplewebauthn/browser";
import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/browser";
import type { PasskeyAnswer } from "@/lib/schemas/passkey-answers";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { ceremonyErrorMessage } from "@/components/interaction/ceremony-error";

const noSubscription = () => () => {};

/**
 * "Add a passkey": asks the server for options, lets the browser create the key, sends it back.
 * Needs JavaScript (WebAuthn is a script API); without it the panel says so.
 */
export function AddPasskey({
  csrf,
  start,
  finish,
  rpOrigin,
  maxName,
}: {
  csrf: string;
  start: (csrf: string) => Promise<PasskeyAnswer<{ options: PublicKeyCredentialCreationOptionsJSON }>>;
  finish: (csrf: string, response: string, name: string) => Promise<PasskeyAnswer<{ name: string }>>;
  rpOrigin: string;
  maxName: number;
}) {
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const router = useRouter();
  // null on the server and before hydration: the button waits for the browser to say.
  const supported = useSyncExternalStore(noSubscription, browserSupportsWebAuthn, () => null);
  const toReauth = () => router.push(`/account/reauth?${new URLSearchParams({ next: "/account/security" })}`);

  async function add() {
    setError(null);
    setBusy(true);
    try {
      const started = await start(csrf);
      if (!started.ok) {
        if (started.reauth) toReauth();
        setError(started.message);
        return;
      }
      const response = await startRegistration({ optionsJSON: started.options });
      const done = await finish(csrf, JSON.stringify(response), name);
      if (!done.ok) {
        if (done.reauth) toReauth();
        setError(done.message);
        return;
      }
      router.push("/account/security?notice=passkey_added");
      router.refresh();
    } catch (err) {
      setError(ceremonyErrorMessage(err, rpOrigin));
    } finally {
      setBusy(false);
    }
  }

  if (supported === false) return <p className="mt-3 text-sm text-slate-500">This browser cannot create passkeys.</p>;
  return (
    <div className="mt-4 flex flex-col gap-3">
      {error ? <Alert>{error}</Alert> : null}
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
        <div className="sm:flex-1">
          <Field
            id="passkey-name"
            label="Name for the new passkey (optional)"
            value={name}
            maxLength={maxName}
            placeholder="Passkey"
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <Button type="button" disabled={busy || supported === null} onClick={() => void add()}>
          {busy ? "Waiting for your passkey…" : "Add a passkey"}
        </Button>
      </div>
      <noscript>
        <p className="text-sm text-slate-500">Adding a passkey needs JavaScript.</p>
      </noscript>
    </div>
  );
}
