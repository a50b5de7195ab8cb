/** What the account area needs from storage beyond the protocol core's ports. */

/** One of the user's sessions as the account page lists it. */
export interface AccountSession {
  id: string;
  authTime: Date;
  lastSeenAt: Date;
  ipAddress: string | null;
  userAgent: string | null;
  expiresAt: Date;
}

/** A remembered consent (`consent:<subject>:<client>`): the app the user granted, and what. */
export interface AccountConsent {
  clientId: string;
  scopes: string[];
  grantedAt: Date;
}

/** A link of the user to an account at an external identity provider. */
export interface AccountLink {
  id: string;
  provider: string;
  displayName: string | null;
  email: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** removed; not the user's link; or refused: it is the last way to sign in (no password, no other link) */
export type UnlinkResult = "unlinked" | "not_found" | "last_login";

/** An audit event about the user, with only what the user may see of it. */
export interface AccountEvent {
  id: string;
  type: string;
  at: Date;
  ipAddress: string | null;
  clientId: string | null;
  details: Record<string, unknown>;
}

export interface AccountStore {
  /** The user's sessions not revoked and not expired at `now`, the most recent first. */
  listSessions(userId: string, now: Date): Promise<AccountSession[]>;
  /**
   * Revokes the session only if it is the user's and still active: ONE conditional update, so
   * a session id of another user changes nothing. True when it was revoked.
   */
  revokeSession(userId: string, sessionId: string, at: Date): Promise<boolean>;
  /** Revokes every active session of the user but `keepId`; returns how many. */
  revokeOtherSessions(userId: string, keepId: string, at: Date): Promise<number>;
  /** The user's remembered consents, the most recent first. */
  listConsents(userId: string): Promise<AccountConsent[]>;
  /**
   * Removes, in one transaction, the user's remembered consent for the client and every code,
   * refresh token and reference token of that client for the user; returns the grant families
   * they belonged to (the caller revokes their JWTs) and whether anything was removed.
   */
  removeClientGrants(userId: string, clientId: string): Promise<{ removed: number; familyIds: string[] }>;
  /** The user's external logins, oldest first. */
  listLinks(userId: string): Promise<AccountLink[]>;
  /**
   * Removes the user's link unless the user would be left with no way to sign in: decided in the
   * database (the user's row locked, then one conditional delete), so two concurrent unlinks of
   * a user's last two links cannot both succeed.
   */
  unlink(userId: string, linkId: string): Promise<UnlinkResult>;
  /**
   * Merges `set` into the user's claims and removes `remove`, keeping every other claim: ONE
   * update in the database (a JSON merge), with the "config" change stamp so that every instance
   * drops its cached user. The claims after, or null when the user is gone.
   */
  updateClaims(userId: string, set: Record<string, string>, remove: string[]): Promise<Record<string, unknown> | null>;
  /** The user's password hash; null when the user has none (an external sign-in created them). */
  passwordHash(userId: string): Promise<string | null>;
  /**
   * Replaces the password hash only if it still is `expected` (null: the user has none yet): one
   * conditional update, so of two concurrent changes from the same old password one wins.
   */
  replacePassword(userId: string, hash: string, expected: string | null): Promise<boolean>;
  /** Marks the user's active session authenticated again at `at` (re-authentication); false when it is not theirs or not active. */
  reauthenticate(userId: string, sessionId: string, at: Date, amr: string[]): Promise<boolean>;
  /** The user's most recent audit events of `types` (audit subject = the user), newest first. */
  listEvents(userId: string, types: readonly string[], limit: number): Promise<AccountEvent[]>;
  /** IP address and User-Agent of the user's own sessions among `ids` (revoked or not). */
  sessionOrigins(userId: string, ids: string[]): Promise<{ id: string; ipAddress: string | null; userAgent: string | null }[]>;
}
