/** What sign-in needs from storage beyond the protocol core's ports. */
export interface LoginAccount {
  id: string;
  username: string;
  passwordHash: string | null;
  /** set by an administrator: no sign-in at all until unlocked */
  locked: boolean;
  /** a sign-up whose email must be verified first (lib/lifecycle): the right password is told so */
  awaitingVerification?: boolean;
}

export interface UserAccountStore {
  /** by username, or by email when the login contains @ */
  findByLogin(login: string): Promise<LoginAccount | null>;
  recordSuccess(id: string, at: Date): Promise<void>;
  /** the counters of lib/auth/throttle.ts */
  throttle: SignInThrottleStore;
}

// ---- sign-in throttle (issue 8, items 3 and 4) ----

/** How one counter throttles: free failures, then the delays (ms) in order, the last repeating. */
export interface ThrottleRule {
  free: number;
  /** at least one; delays[i] is the wait after failure number free + i */
  delays: number[];
  /** ms without an attempt after which the counter restarts */
  forgetAfter: number;
}

export type ThrottleClaim =
  /** counted: `failures` includes this attempt; `blockedUntil` (ms) is set once the free ones are used up */
  | { allowed: true; failures: number; blockedUntil: number | null }
  /** waiting out a delay: nothing counted */
  | { allowed: false; retryAt: number };

export interface SignInThrottleStore {
  /**
   * Counts one attempt under `key` unless the key waits out a delay at `now`, and sets the
   * delay the next attempt will wait should this one fail: ONE atomic statement, so concurrent
   * attempts and other instances each see the count of those before them.
   */
  claim(key: string, rule: ThrottleRule, now: number): Promise<ThrottleClaim>;
  /** Takes one counted attempt back (a success on a counter that a success does not clear). */
  release(key: string, rule: ThrottleRule): Promise<void>;
  /** Forgets the counters (a success, or an administrator's unlock). */
  clear(keys: string[]): Promise<void>;
}
