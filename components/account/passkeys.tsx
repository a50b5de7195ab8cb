import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import type { PasskeyView } from "@/lib/auth/passkeys";
import type { PasskeyAnswer } from "@/lib/schemas/passkey-answers";
import { PASSKEY_NAME_MAX } from "@/lib/schemas/passkeys";
import { Button } from "@/components/ui/button";
import { AddPasskey } from "./add-passkey";

const when = (d: Date) => d.toISOString().replace("T", " ").slice(0, 16) + " UTC";

/** The user's passkeys: name, added, last used; rename and remove are plain forms (no JavaScript). */
export function PasskeyPanel({
  passkeys,
  csrf,
  rpOrigin,
  rename,
  remove,
  startRegistration,
  finishRegistration,
}: {
  passkeys: PasskeyView[];
  csrf: string;
  rpOrigin: string;
  rename: (data: FormData) => Promise<void>;
  remove: (data: FormData) => Promise<void>;
  startRegistration: (csrf: string) => Promise<PasskeyAnswer<{ options: PublicKeyCredentialCreationOptionsJSON }>>;
  finishRegistration: (csrf: string, response: string, name: string) => Promise<PasskeyAnswer<{ name: string }>>;
}) {
  return (
    <section aria-labelledby="passkeys-heading" className="mt-8">
      <h2 id="passkeys-heading" className="text-base font-semibold">
        Passkeys
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        Sign in with your fingerprint, face, screen lock or a security key instead of a password.
      </p>
      {passkeys.length ? (
        <ul className="mt-3 divide-y divide-slate-200 rounded-lg border border-slate-200" data-testid="passkeys">
          {passkeys.map((p) => (
            <li key={p.id} className="flex flex-col gap-3 p-3 text-sm" data-testid="passkey">
              <div className="min-w-0">
                <p className="font-medium break-words">
                  {p.name}
                  {p.synced ? <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">synced</span> : null}
                </p>
                <p className="text-slate-500">
                  added {when(p.createdAt)} · {p.lastUsedAt ? `last used ${when(p.lastUsedAt)}` : "not used yet"}
                </p>
              </div>
              <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
                <form action={rename} className="flex flex-1 gap-2">
                  <input type="hidden" name="csrf" value={csrf} />
                  <input type="hidden" name="passkey" value={p.id} />
                  <label htmlFor={`rename-${p.id}`} className="sr-only">
                    New name for {p.name}
                  </label>
                  <input
                    id={`rename-${p.id}`}
                    name="name"
                    defaultValue={p.name}
                    maxLength={PASSKEY_NAME_MAX}
                    required
                    className="block w-full min-w-0 rounded-lg border border-slate-300 px-3 py-2 text-base sm:text-sm"
                  />
                  <Button type="submit" variant="secondary" aria-label={`Rename ${p.name}`}>
                    Rename
                  </Button>
                </form>
                <form action={remove}>
                  <input type="hidden" name="csrf" value={csrf} />
                  <input type="hidden" name="passkey" value={p.id} />
                  <Button type="submit" variant="danger" aria-label={`Remove ${p.name}`}>
                    Remove
                  </Button>
                </form>
              </div>
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-3 text-sm text-slate-500">You have no passkeys yet.</p>
      )}
      <AddPasskey csrf={csrf} start={startRegistration} finish={finishRegistration} rpOrigin={rpOrigin} maxName={PASSKEY_NAME_MAX} />
    </section>
  );
}
