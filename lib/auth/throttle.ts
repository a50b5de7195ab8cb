/**
 * Growing delays after failed sign-ins, instead of a lock anyone could set on anyone
 * (OWASP ASVS 2.2.1).
 *
 * Rules:
 * - three counters: the name typed from this address, the name from any address, and the
 *   address for any name; each lets settings.signInThrottle's perNameAndAddress (5), perName (20)
 *   and perAddress (100) failures through, then the next attempt waits `delay` seconds (30),
 *   doubling with each further failure up to `maxDelay` (15 minutes);
 * - an attempt claims its place in the counters BEFORE the password is checked, each claim one
 *   atomic statement in the database: concurrent attempts and other instances are counted too,
 *   and no more passwords are checked than the counters allow;
 * - an attempt during a wait is refused without checking the password and does not lengthen the
 *   wait; the claims stop at the first counter that refuses, so an attacker's refused attempts
 *   do not use up the name's allowance from other addresses;
 * - a success clears both name counters and takes its attempt back from the address counter;
 * - a counter restarts after `forgetAfter` (1 hour) without an attempt;
 * - names count as typed (trimmed, case-folded), whether or not an account has them: an unknown
 *   name is counted, delayed and answered exactly like a real one. Counting by account would
 *   tell a caller that a username and an email address belong to the same account;
 * - keys are hashes, so what people type (sometimes a password in the wrong field) is never stored.
 */
import { createHash } from "node:crypto";
import type { SignInThrottleSettings } from "../oidc";
import { addressKey } from "../oidc";
import type { ThrottleRule } from "./ports";

export type ThrottleCounter = "name_and_address" | "name" | "address";

export interface ThrottleKey {
  counter: ThrottleCounter;
  key: string;
  rule: ThrottleRule;
}

const hash = (value: string) => createHash("sha256").update(value).digest("hex");

/** The form a typed name is counted under. */
export function normalizeLogin(login: string): string {
  return login.trim().normalize("NFKC").toLowerCase();
}

/** The counter of a name from any address, and the prefix of its per-address counters. */
export function nameThrottleKeys(login: string): { name: string; perAddressPrefix: string } {
  const h = hash(normalizeLogin(login));
  return { name: `n:${h}`, perAddressPrefix: `p:${h}:` };
}

/** The delays (ms) after the free failures: doubling from `delay` up to `maxDelay`. */
export function throttleDelays(s: SignInThrottleSettings): number[] {
  const delays: number[] = [];
  for (let d = s.delay; ; d *= 2) {
    delays.push(Math.min(d, s.maxDelay) * 1000);
    if (d >= s.maxDelay) return delays;
  }
}

/** The counters an attempt claims, in the order it claims them. */
export function throttleKeys(s: SignInThrottleSettings, login: string, ip: string | undefined): ThrottleKey[] {
  const delays = throttleDelays(s);
  const rule = (free: number): ThrottleRule => ({ free, delays, forgetAfter: s.forgetAfter * 1000 });
  const { name, perAddressPrefix } = nameThrottleKeys(login);
  const address = hash(addressKey(ip));
  return [
    { counter: "address", key: `a:${address}`, rule: rule(s.perAddress) },
    { counter: "name_and_address", key: perAddressPrefix + address, rule: rule(s.perNameAndAddress) },
    { counter: "name", key: name, rule: rule(s.perName) },
  ];
}
