/** What the passkey service needs from storage (lib/stores/prisma/passkeys.ts implements it). */

/** A registered passkey: a WebAuthn credential of one user. */
export interface PasskeyRecord {
  id: string;
  userId: string;
  /** base64url credential id */
  credentialId: string;
  publicKey: Uint8Array<ArrayBuffer>;
  /** the signature counter last seen (uint32) */
  counter: number;
  transports: string[];
  /** singleDevice | multiDevice (synced) */
  deviceType: string;
  backedUp: boolean;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export type NewPasskey = Omit<PasskeyRecord, "id" | "createdAt" | "lastUsedAt">;

export interface PasskeyStore {
  /** Adds a passkey; false when the credential id is registered already (to anyone). */
  add(passkey: NewPasskey, at: Date): Promise<PasskeyRecord | null>;
  findByCredentialId(credentialId: string): Promise<PasskeyRecord | null>;
  /** The user's passkeys, oldest first (at most 100). */
  listByUser(userId: string): Promise<PasskeyRecord[]>;
  /**
   * Records a use: sets the counter to `next` and lastUsedAt, ONE statement conditioned on the
   * counter still being `previous`, so of two concurrent uses of one signature counter only one
   * passes. False when the counter had moved (or the passkey is gone).
   */
  recordUse(id: string, previous: number, next: number, at: Date, flags: { backedUp: boolean; deviceType: string }): Promise<boolean>;
  /** Renames a passkey of this user; false when the user has no such passkey. */
  rename(userId: string, id: string, name: string): Promise<boolean>;
  /** Removes a passkey of this user; false when the user has no such passkey. */
  remove(userId: string, id: string): Promise<boolean>;
}
