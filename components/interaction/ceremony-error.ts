/**
 * Plain words for what the browser's WebAuthn call can throw. A page opened at another address
 * than the issuer's (another host, or an IP address) cannot use the issuer's passkeys: the
 * browser refuses the RP id, and the person is told where passkeys work.
 */
import { WebAuthnError } from "@simplewebauthn/browser";

export function ceremonyErrorMessage(err: unknown, rpOrigin: string): string | null {
  const code = err instanceof WebAuthnError ? err.code : null;
  const name = err instanceof Error ? err.name : "";
  if (code === "ERROR_CEREMONY_ABORTED" || name === "AbortError") return null;
  if (code === "ERROR_INVALID_RP_ID" || code === "ERROR_INVALID_DOMAIN" || name === "SecurityError") {
    return `Passkeys for this server work only at ${rpOrigin}. This page is open at ${globalThis.location?.origin ?? "another address"}: open it at ${rpOrigin} instead.`;
  }
  if (code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED") return "This passkey is registered already.";
  if (name === "NotAllowedError") return "The passkey request was cancelled or timed out. Try again.";
  return "Your browser could not use a passkey here. Try again, or use your password.";
}
