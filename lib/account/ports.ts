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
}
