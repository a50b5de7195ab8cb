/** What the account lifecycle (sign-up, email verification, password reset) needs from storage. */

export const TOKEN_PURPOSES = ["verify_email", "reset_password"] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

export interface LifecycleUser {
  id: string;
  username: string;
  email: string | null;
  emailVerified: boolean;
  /** an address waiting for its link; equal to `email` for a new sign-up that must verify first */
  pendingEmail: string | null;
  hasPassword: boolean;
  locked: boolean;
}

export interface NewUser {
  username: string;
  email: string;
  passwordHash: string;
  claims: Record<string, string>;
  /** the sign-up must verify the address before it signs in (pendingEmail = email) */
  awaitingVerification: boolean;
  at: Date;
}

export type CreateResult = { ok: true; id: string } | { ok: false; taken: "username" | "email" };

export type VerifyResult = "verified" | "stale" | "taken";

export interface LifecycleStore {
  findUser(id: string): Promise<LifecycleUser | null>;
  /** by username, or by email (lower-cased) when the login contains @ */
  findByLogin(login: string): Promise<LifecycleUser | null>;
  findByEmail(email: string): Promise<LifecycleUser | null>;
  /** Inserts the user; a taken username or email is told by the unique constraint, not a read before. */
  createUser(user: NewUser): Promise<CreateResult>;
  /** Stores a token (its hash only). */
  addToken(t: { userId: string; purpose: TokenPurpose; tokenHash: string; email: string | null; expiresAt: Date }): Promise<void>;
  /** The unused, unexpired token of `purpose` (nothing changed): what a confirmation page shows. */
  peekToken(tokenHash: string, purpose: TokenPurpose, now: Date): Promise<{ userId: string; email: string | null } | null>;
  /**
   * Marks the token used: ONE conditional update (unused, unexpired, this purpose) whose count
   * decides, so of two concurrent consumers exactly one gets the token.
   */
  consumeToken(tokenHash: string, purpose: TokenPurpose, now: Date): Promise<{ userId: string; email: string | null } | null>;
  /** How many tokens of `purpose` the user was sent since `since` (the hourly mail cap). */
  countTokensSince(userId: string, purpose: TokenPurpose, since: Date): Promise<number>;
  /** Ends the user's unused tokens of `purpose` (a new link replaces the old ones). */
  retireTokens(userId: string, purpose: TokenPurpose, at: Date): Promise<void>;
  /**
   * Proves `email` for the user: when it is the pending address it replaces the email; either way
   * email_verified becomes true, in one conditional update (the address must still be the user's
   * email or pending one), with the "config" change stamp so every instance drops its cached user.
   * "taken": another account holds the address now.
   */
  verifyEmail(userId: string, email: string): Promise<VerifyResult>;
  /** Sets (or clears, null) the address waiting for verification. */
  setPendingEmail(userId: string, email: string | null): Promise<void>;
  /** Replaces the password hash and passwordChangedAt. */
  setPassword(userId: string, hash: string, at: Date): Promise<void>;
  /** Revokes every active session of the user; returns how many. */
  revokeAllSessions(userId: string, at: Date): Promise<number>;
}
