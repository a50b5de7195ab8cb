import { jwtVerify } from "jose";
import { ACCESS_TOKEN_JWT_TYPE, GrantRecordType, SEALED_SUBJECT_CLAIM, SIGNING_ALGS } from "../constants";
import type { ProviderContext } from "../context";
import { findLive, recordKey } from "../records";
import type { AccessTokenClaims } from "./access-token";

export interface InspectedToken {
  format: "jwt" | "reference";
  /** the stored key of a reference token */
  key?: string;
  /** the token's claims as its client and resource servers see them (sub may be pairwise) */
  claims: AccessTokenClaims;
  /** whom the token is for here: the user's id (a pairwise sub unsealed), or the client's */
  subject: string;
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Validates an access token issued here: a JWT signed by one of our published keys with
 * typ at+jwt, our issuer and an unexpired exp; or a stored, unexpired reference token.
 * It must not be revoked (by jti or grant family); the issuing client must still exist and be
 * enabled; a user's token (it has auth_time) needs its user to exist and not be locked.
 * Null for anything else.
 */
export async function inspectAccessToken(ctx: ProviderContext, token: string): Promise<InspectedToken | null> {
  const verified = JWT_SHAPE.test(token) ? await inspectJwt(ctx, token) : await inspectReference(ctx, token);
  if (!verified) return null;
  const { [SEALED_SUBJECT_CLAIM]: sealed, ...claims } = verified.claims;
  const subject = typeof sealed === "string" ? await openSubject(ctx, sealed) : claims.sub;
  if (subject === null) return null;
  const found: InspectedToken = { ...verified, claims: claims as AccessTokenClaims, subject };
  if (await ctx.revocations.isRevoked({ jti: claims.jti, iat: claims.iat, sub: subject })) return null;
  const client = await ctx.config.client(claims.client_id);
  if (!client?.enabled) return null;
  if (claims.auth_time !== undefined && !(await userInGoodStanding(ctx, subject))) return null;
  return found;
}

async function openSubject(ctx: ProviderContext, sealed: string): Promise<string | null> {
  try {
    return await ctx.box.open(sealed);
  } catch {
    return null;
  }
}

/** The user exists and is not locked (cached; dropped on every instance when an admin changes users). */
export async function userInGoodStanding(ctx: ProviderContext, userId: string): Promise<boolean> {
  const user = await ctx.config.user(userId);
  return !!user && !user.locked;
}

type Verified = Omit<InspectedToken, "subject">;

async function inspectJwt(ctx: ProviderContext, token: string): Promise<Verified | null> {
  try {
    const { payload } = await jwtVerify(token, await ctx.keys.verificationKeys(), {
      issuer: ctx.settings.issuer,
      typ: ACCESS_TOKEN_JWT_TYPE,
      algorithms: [...SIGNING_ALGS],
      requiredClaims: ["exp", "client_id"],
      currentDate: new Date(ctx.now()),
    });
    return { format: "jwt" as const, claims: payload as AccessTokenClaims };
  } catch {
    return null;
  }
}

async function inspectReference(ctx: ProviderContext, token: string): Promise<Verified | null> {
  const key = await recordKey.referenceToken(ctx, token);
  const grant = await findLive(ctx, GrantRecordType.referenceToken, key);
  return grant && { format: "reference" as const, key, claims: grant.data };
}
