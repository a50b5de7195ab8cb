/** The security page's passkey panel: its data from the service, its actions from the app. */
import { PasskeyPanel } from "@/components/account/passkeys";
import { myPasskeys, relyingParty } from "@/lib/auth/passkeys";
import type { Frame } from "../frame";
import { accountPasskeyOptions, accountPasskeyRegister, accountPasskeyRemove, accountPasskeyRename } from "../passkey-actions";

export async function PasskeysSection({ frame }: { frame: Frame }) {
  const { provider, passkeys: store } = frame.runtime;
  const passkeys = await myPasskeys(provider, store, frame.session);
  if (!passkeys) return null;
  return (
    <PasskeyPanel
      passkeys={passkeys}
      csrf={frame.csrf}
      rpOrigin={relyingParty(provider).origin}
      rename={accountPasskeyRename}
      remove={accountPasskeyRemove}
      startRegistration={accountPasskeyOptions}
      finishRegistration={accountPasskeyRegister}
    />
  );
}
