/**
 * The relying party the passkeys belong to: the issuer's host and origin.
 *
 * A passkey is bound to the RP id when it is created, so changing the issuer's host makes every
 * registered passkey unusable (README, "Passkeys"). The port is part of the origin, not the RP id.
 */
import type { ProviderContext } from "../../oidc";

export interface RelyingParty {
  id: string;
  origin: string;
  name: string;
}

export function relyingParty(ctx: ProviderContext): RelyingParty {
  const url = new URL(ctx.settings.issuer);
  return { id: url.hostname, origin: url.origin, name: url.hostname };
}
