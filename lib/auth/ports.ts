/** What sign-in needs from storage beyond the protocol core's ports. */
export interface LoginAccount {
  id: string;
  username: string;
  passwordHash: string | null;
  locked: boolean;
  lockedUntil: Date | null;
  failedLoginCount: number;
}

export interface UserAccountStore {
  /** by username, or by email when the login contains @ */
  findByLogin(login: string): Promise<LoginAccount | null>;
  /** counts a failure; with lockedUntil, locks the account until then and restarts the count */
  recordFailure(id: string, lockedUntil?: Date): Promise<void>;
  recordSuccess(id: string, at: Date): Promise<void>;
}
