/** What the second factors need from storage (lib/stores/prisma/factors.ts implements it). */

export interface TotpRecord {
  userId: string;
  secretSealed: string;
  /** null while enrolment waits for the first code */
  confirmedAt: Date | null;
  lastStep: number;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export interface PasskeySummary {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export interface FactorUser {
  id: string;
  username: string;
  email: string | null;
}

export interface FactorStore {
  getTotp(userId: string): Promise<TotpRecord | null>;
  /**
   * Replaces an unconfirmed enrolment with a new secret; false (nothing written) when the user
   * already has a confirmed authenticator app.
   */
  startTotp(userId: string, secretSealed: string, at: Date): Promise<boolean>;
  /**
   * Confirms an unconfirmed enrolment with the code of time step `step`, and replaces the user's
   * recovery codes with `codeHashes`: true for exactly one of concurrent callers (ONE conditional
   * update where confirmedAt is null, then the codes in the same transaction).
   */
  confirmTotp(userId: string, step: number, at: Date, codeHashes: string[]): Promise<boolean>;
  /** Accepts time step `step` only if it is later than the last accepted one: ONE conditional update. */
  useTotpStep(userId: string, step: number, at: Date): Promise<boolean>;
  removeTotp(userId: string): Promise<boolean>;
  /** Deletes the user's recovery codes and stores these hashes instead (one transaction). */
  replaceRecoveryCodes(userId: string, codeHashes: string[], at: Date): Promise<void>;
  /** Marks an unused code of this user used: ONE conditional update (where usedAt is null). */
  useRecoveryCode(userId: string, codeHash: string, at: Date): Promise<boolean>;
  recoveryCodesLeft(userId: string): Promise<number>;
  listPasskeys(userId: string): Promise<PasskeySummary[]>;
  countPasskeys(userId: string): Promise<number>;
  /** Deletes the authenticator app, recovery codes and passkeys in one transaction; what was removed. */
  resetAll(userId: string): Promise<{ totp: boolean; recoveryCodes: number; passkeys: number }>;
  findUser(userId: string): Promise<FactorUser | null>;
  findUserByName(username: string): Promise<FactorUser | null>;
}
