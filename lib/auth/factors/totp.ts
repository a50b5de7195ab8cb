/**
 * Time-based one-time passwords (RFC 6238) for authenticator apps.
 *
 * Rules:
 * - SHA-1, 6 digits, 30-second steps: what every authenticator app supports (the others are
 *   ignored or mishandled by many apps);
 * - a code is checked against the current step and one step either side (clock drift, the time
 *   it takes to type); the caller records the step it matched and accepts only later steps, so a
 *   code cannot be used twice (see FactorStore.useTotpStep);
 * - the clock is the caller's (ctx.now), so tests move it.
 */
import * as OTPAuth from "otpauth";

export const TOTP_PERIOD = 30;
export const TOTP_DIGITS = 6;
const WINDOW = 1;

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

function totpOf(secret: string, issuer = "", label = "") {
  return new OTPAuth.TOTP({
    issuer,
    label,
    algorithm: "SHA1",
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD,
    secret: OTPAuth.Secret.fromBase32(secret),
  });
}

/** The otpauth:// URI an app reads from the QR code. */
export function totpUri(secret: string, issuer: string, label: string): string {
  return totpOf(secret, issuer, label).toString();
}

/** The time step a moment (ms) falls in. */
export function totpStep(now: number): number {
  return Math.floor(now / 1000 / TOTP_PERIOD);
}

/** Only digits, spaces allowed between them (apps show "123 456"). */
export function normalizeTotpCode(input: string): string | null {
  const code = input.replace(/\s+/g, "");
  return /^\d{6}$/.test(code) ? code : null;
}

/** The step the code belongs to within the window around `now`, or null when it matches none. */
export function matchTotpStep(secret: string, code: string, now: number): number | null {
  const token = normalizeTotpCode(code);
  if (!token) return null;
  const delta = totpOf(secret).validate({ token, timestamp: now, window: WINDOW });
  return delta === null ? null : totpStep(now) + delta;
}

/** The code of the step `now` falls in (tests, and nothing else). */
export function totpCodeAt(secret: string, now: number): string {
  return totpOf(secret).generate({ timestamp: now });
}
