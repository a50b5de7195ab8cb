/**
 * EXTENSION POINT for the passkey helper: the second-factor page (/interaction/mfa) renders this
 * component for every user, with the same hidden fields its own forms carry. This placeholder
 * renders nothing; the passkey implementation replaces this file (keep the props), verifies the
 * assertion for the page's subject, and then calls completePendingSignIn (a pending sign-in) or
 * upgradeActiveSession (step-up) from lib/auth/factors, and redirects to `continueUrl`.
 */
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
}

export function PasskeyFactor(_props: PasskeyFactorProps) {
  return null;
}
