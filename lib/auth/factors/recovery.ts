/**
 * Recovery codes: the way in when the authenticator app is lost.
 *
 * Rules:
 * - ten codes of 10 base32 characters (50 bits each), shown as xxxxx-xxxxx, once;
 * - only their hashes are stored (ctx.sha256 of the normalized code), each used once;
 * - typing is forgiving: case, spaces and dashes do not matter, and the look-alikes 0/1/8 are read
 *   as O/I/B (the alphabet has none of 0, 1, 8).
 */
import { randomBytes } from "node:crypto";

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const bytes = randomBytes(10);
    // 10 bytes, 5 bits of each: uniform over the 32-letter alphabet.
    const chars = [...bytes].map((b) => ALPHABET[b & 31]).join("");
    return `${chars.slice(0, 5)}-${chars.slice(5)}`.toLowerCase();
  });
}

/** The form a typed code is hashed in; null when it cannot be a recovery code. */
export function normalizeRecoveryCode(input: string): string | null {
  const code = input
    .replace(/[\s-]+/g, "")
    .toUpperCase()
    .replace(/0/g, "O")
    .replace(/1/g, "I")
    .replace(/8/g, "B");
  return /^[A-Z2-7]{10}$/.test(code) ? code : null;
}

export const recoveryCodeHash = (sha256: (s: string) => string | Promise<string>, normalized: string) =>
  Promise.resolve(sha256(`recovery:${normalized}`));
