/**
 * The passkey option of the second-factor page (/interaction/mfa): shown when the user has a
 * passkey; after a password it completes the pending sign-in, for step-up it upgrades the session
 * (lib/next/second-factor.ts passkeyStep). Needs JavaScript, like every WebAuthn ceremony; the
 * code forms beside it work without.
 */
import type { ComponentProps } from "react";
import { PasskeySignIn } from "./passkey-sign-in";

type Ceremony = ComponentProps<typeof PasskeySignIn>;

export interface PasskeyFactorProps {
  /** "sign_in": a password was just proven (pending sign-in cookie); "step_up": a live session lacks mfa */
  mode: "sign_in" | "step_up";
  /** how many passkeys the user has (0: offer nothing) */
  passkeys: number;
  /** the authorization request being continued, or absent for the account area */
  interaction?: string;
  /** the account area's local path to go back to, when there is no interaction */
  next?: string;
  /** where the browser goes once the factor is proven */
  continueUrl: string;
  /** the page's CSRF token (purpose: mfaFormPurpose in lib/next/second-factor.ts) */
  csrf: string;
  /** where the issuer's passkeys work (its origin), for the wrong-address message */
  rpOrigin: string;
  /** the page's server actions, bound to its interaction (or next) and CSRF token */
  start: Ceremony["start"];
  finish: Ceremony["finish"];
}

export function PasskeyFactor({ passkeys, rpOrigin, start, finish }: PasskeyFactorProps) {
  if (passkeys < 1) return null;
  return <PasskeySignIn autofill={false} label="Use your passkey" rpOrigin={rpOrigin} start={start} finish={finish} />;
}
