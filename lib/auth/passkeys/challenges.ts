/**
 * WebAuthn challenges: issued by the server, used once.
 *
 * Rules:
 * - each ceremony's challenge is kept server-side in the grant store (kind webauthn_challenge)
 *   for CHALLENGE_TTL, under the hash of a random handle that only the browser holds (in an
 *   HttpOnly cookie set by the Next layer): a challenge cannot be used from another browser;
 * - the record says what it is for (purpose) and, for a signed-in ceremony, whose it is
 *   (userId, sessionId): a sign-in challenge cannot finish a registration, nor the other way;
 * - using it is ONE conditional update (consumedAt is null): of two concurrent uses exactly one
 *   wins, and a replayed assertion finds it consumed. An expired or mismatched challenge is
 *   consumed too, so it is never tried twice;
 * - the sweeper deletes expired records (lib/stores/prisma/sweeper.ts).
 */
import { randomBytes } from "node:crypto";
import type { ProviderContext } from "../../oidc";

/** How long (ms) a ceremony may take from options to verification. */
export const CHALLENGE_TTL = 5 * 60_000;
export const CHALLENGE_RECORD = "webauthn_challenge";
/** The grant store's clientId column is required; challenges belong to no client. */
const NO_CLIENT = "portcullis:webauthn";

export type ChallengePurpose = "register" | "sign_in" | "second_factor";

export interface ChallengeData {
  challenge: string;
  purpose: ChallengePurpose;
  /** the user of a signed-in ceremony (registration, second factor) */
  userId?: string;
  /** the session (registration) or pending sign-in (second factor) it belongs to */
  bindTo?: string;
}

export type ConsumedChallenge =
  | { ok: true; data: ChallengeData }
  /** unknown: no such handle, wrong kind or purpose; used: consumed before; expired: too late */
  | { ok: false; reason: "unknown" | "used" | "expired" };

const keyOf = async (ctx: Pick<ProviderContext, "sha256">, handle: string) => `webauthn:${await ctx.sha256(`webauthn:${handle}`)}`;

/** Stores a challenge; returns the handle the browser keeps (its cookie value). */
export async function saveChallenge(ctx: ProviderContext, data: ChallengeData): Promise<string> {
  const handle = randomBytes(32).toString("base64url");
  const now = ctx.now();
  await ctx.stores.grants.saveGrant({
    key: await keyOf(ctx, handle),
    type: CHALLENGE_RECORD,
    clientId: NO_CLIENT,
    subjectId: data.userId ?? null,
    familyId: null,
    data: { ...data },
    expiresAt: new Date(now + CHALLENGE_TTL),
    consumedAt: null,
  });
  return handle;
}

/** Uses the challenge behind `handle` for `purpose`: at most once, whatever the outcome. */
export async function consumeChallenge(
  ctx: ProviderContext,
  handle: string | undefined,
  purpose: ChallengePurpose,
): Promise<ConsumedChallenge> {
  if (!handle || handle.length > 100) return { ok: false, reason: "unknown" };
  const key = await keyOf(ctx, handle);
  const found = await ctx.stores.grants.findGrant(key);
  if (!found || found.type !== CHALLENGE_RECORD) return { ok: false, reason: "unknown" };
  if (!(await ctx.stores.grants.consumeGrant(key, new Date(ctx.now())))) return { ok: false, reason: "used" };
  const data = found.data as unknown as ChallengeData;
  if (data.purpose !== purpose || typeof data.challenge !== "string") return { ok: false, reason: "unknown" };
  if (found.expiresAt && found.expiresAt.getTime() <= ctx.now()) return { ok: false, reason: "expired" };
  return { ok: true, data };
}
