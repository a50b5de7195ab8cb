/**
 * The records the protocol keeps in the grant store (codes, refresh tokens, reference tokens,
 * remembered consents, waiting interactions, pushed requests, device authorizations), as one
 * discriminated union.
 *
 * Rules:
 * - keys are built here only: `<kind>:<SHA-256 of the handle>`, so a stolen database holds no
 *   usable handle; consents are keyed by subject and client;
 * - a record is read only as the kind asked for; `findLive` also drops expired ones, `findRecord`
 *   says `expired` for callers that answer an expired handle differently;
 * - whether a consumed record counts is the caller's decision (a replayed code must be seen).
 */
import { type GrantRecordType } from "./constants";
import type { ProviderContext } from "./context";
import type { Interaction } from "./interaction/store";
import type { GrantRecord } from "./ports";
import type { AccessTokenClaims } from "./tokens/access-token";
import type { UserGrant } from "./tokens/user-tokens";

/** An authorization code: the grant it carries and what the token request must match. */
export interface CodeData extends UserGrant {
  clientId: string;
  redirectUri: string;
  codeChallenge?: string;
  /** RFC 9449 10: the token request's DPoP proof must be of this key */
  dpopJkt?: string;
}

/** A refresh token; `successor` (sealed) is the token its rotation gave out. */
export interface RefreshData extends UserGrant {
  successor?: string;
}

/** A device authorization by its device_code: where its user code (and so the decision) is. */
export interface DeviceCodeData {
  userCodeKey: string;
}

/** A device authorization by its user_code: the request, then the user's decision (set once). */
export interface UserCodeData {
  deviceKey: string;
  scopes: string[];
  resources: string[];
  decision?: { approved: true; grant: UserGrant } | { approved: false };
}

export interface RecordData {
  [GrantRecordType.authorizationCode]: CodeData;
  [GrantRecordType.refreshToken]: RefreshData;
  [GrantRecordType.referenceToken]: AccessTokenClaims;
  [GrantRecordType.consent]: { scopes: string[] };
  [GrantRecordType.interaction]: Interaction;
  /** the pushed authorization request's parameters, as parsed (repeated names kept) */
  [GrantRecordType.pushedRequest]: { params: [string, string[]][] };
  [GrantRecordType.deviceCode]: DeviceCodeData;
  [GrantRecordType.userCode]: UserCodeData;
}
export type RecordType = keyof RecordData;

/** A stored record of one kind. */
export type StoredRecord<T extends RecordType = RecordType> = Omit<GrantRecord, "type" | "data"> & { type: T; data: RecordData[T] };

const hashed = async (ctx: Pick<ProviderContext, "sha256">, prefix: string, handle: string) => `${prefix}:${await ctx.sha256(handle)}`;

/** The store key of each kind of record. */
export const recordKey = {
  code: (ctx: Pick<ProviderContext, "sha256">, code: string) => hashed(ctx, "code", code),
  refreshToken: (ctx: Pick<ProviderContext, "sha256">, handle: string) => hashed(ctx, "refresh", handle),
  referenceToken: (ctx: Pick<ProviderContext, "sha256">, handle: string) => hashed(ctx, "reference", handle),
  interaction: (ctx: Pick<ProviderContext, "sha256">, id: string) => hashed(ctx, "interaction", id),
  pushedRequest: (ctx: Pick<ProviderContext, "sha256">, handle: string) => hashed(ctx, "par", handle),
  deviceCode: (ctx: Pick<ProviderContext, "sha256">, handle: string) => hashed(ctx, "device", handle),
  /** by the normalized user code (device/user-code.ts) */
  userCode: (ctx: Pick<ProviderContext, "sha256">, code: string) => hashed(ctx, "user_code", code),
  consent: (subject: string, clientId: string) => `consent:${subject}:${clientId}`,
} as const;

function isExpired(record: Pick<GrantRecord, "expiresAt">, now: number): boolean {
  return record.expiresAt !== null && record.expiresAt.getTime() <= now;
}

/** The record under `key` if it is of kind `type`, expired or not. */
export async function findRecord<T extends RecordType>(
  ctx: ProviderContext,
  type: T,
  key: string,
): Promise<(StoredRecord<T> & { expired: boolean }) | null> {
  const found = await ctx.stores.grants.findGrant(key);
  if (!found || found.type !== type) return null;
  return { ...(found as unknown as StoredRecord<T>), expired: isExpired(found, ctx.now()) };
}

/** The record under `key` if it is of kind `type` and has not expired. */
export async function findLive<T extends RecordType>(ctx: ProviderContext, type: T, key: string): Promise<StoredRecord<T> | null> {
  const found = await findRecord(ctx, type, key);
  if (!found || found.expired) return null;
  const { expired: _expired, ...record } = found;
  return record as unknown as StoredRecord<T>;
}

export function saveRecord<T extends RecordType>(ctx: ProviderContext, record: StoredRecord<T>): Promise<void> {
  return ctx.stores.grants.saveGrant(record as unknown as GrantRecord);
}

/** Replaces whatever is stored under the record's key (consents, interactions). */
export async function replaceRecord<T extends RecordType>(ctx: ProviderContext, record: StoredRecord<T>): Promise<void> {
  await ctx.stores.grants.removeGrant(record.key);
  await saveRecord(ctx, record);
}

/** Marks the record consumed (replacing its data when given): true for exactly one of concurrent callers. */
export function consumeRecord<T extends RecordType>(ctx: ProviderContext, key: string, data?: RecordData[T]): Promise<boolean> {
  return ctx.stores.grants.consumeGrant(key, new Date(ctx.now()), data as unknown as Record<string, unknown> | undefined);
}
