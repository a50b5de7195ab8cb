/**
 * The signature counter rule (WebAuthn L3 §6.1.1, step 22 of §7.2).
 *
 * Rules:
 * - an authenticator that keeps a counter (either value non-zero) must present one greater than
 *   the stored value; equal or lower means a second copy of the key is in use somewhere (a
 *   cloned authenticator, or a replay), and the assertion is refused and audited;
 * - authenticators without a counter (synced passkeys) always present 0: both 0 is accepted.
 */
export type CounterVerdict = "ok" | "cloned";

export function checkCounter(stored: number, presented: number): CounterVerdict {
  if (stored === 0 && presented === 0) return "ok";
  return presented > stored ? "ok" : "cloned";
}
