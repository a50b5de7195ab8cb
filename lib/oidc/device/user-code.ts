/**
 * User codes of the device authorization grant (RFC 8628 6.1).
 *
 * Rules:
 * - USER_CODE_LENGTH characters of USER_CODE_ALPHABET (no vowels, no look-alikes), drawn without
 *   modulo bias from WebCrypto;
 * - shown as XXXX-XXXX; what the user types is read case-insensitively, ignoring dashes and
 *   spaces, and at most 32 characters of it (normalizeUserCode: null when it cannot be a code);
 * - only the hash of the normalized code is stored (records.ts recordKey.userCode).
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-6.1
 */
import { USER_CODE_ALPHABET, USER_CODE_LENGTH } from "../constants";

/** A fresh user code, normalized (no dash). */
export function generateUserCode(): string {
  const n = USER_CODE_ALPHABET.length;
  // The largest multiple of n below 256: bytes at or above it are drawn again (no bias).
  const limit = 256 - (256 % n);
  let code = "";
  while (code.length < USER_CODE_LENGTH) {
    for (const byte of crypto.getRandomValues(new Uint8Array(USER_CODE_LENGTH * 2))) {
      if (byte < limit && code.length < USER_CODE_LENGTH) code += USER_CODE_ALPHABET[byte % n];
    }
  }
  return code;
}

/** The code as typed, normalized; null when it cannot be a user code. */
export function normalizeUserCode(typed: string): string | null {
  if (typed.length > 32) return null;
  const code = typed.toUpperCase().replace(/[\s-]/g, "");
  if (code.length !== USER_CODE_LENGTH) return null;
  for (const c of code) if (!USER_CODE_ALPHABET.includes(c)) return null;
  return code;
}

/** XXXX-XXXX, as the device shows it and the verification page repeats it. */
export function formatUserCode(code: string): string {
  const half = Math.ceil(code.length / 2);
  return `${code.slice(0, half)}-${code.slice(half)}`;
}
