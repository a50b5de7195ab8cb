import {
  ACCESS_TOKEN_JWT_TYPE,
  AccessTokenFormat,
  DEFAULT_SIGNING_ALG,
  GrantRecordType,
  SEALED_SUBJECT_CLAIM,
  TokenType,
  type SigningAlg,
  type TokenTypeName,
} from "../constants";
import { SubjectType, subjectFor } from "../subject";
import type { ProviderContext } from "../context";
import { randomHandle } from "../crypto";
import { recordKey, saveRecord } from "../records";
import type { ApiResourceRecord, ClientRecord } from "../ports";
import { signJwt } from "../jwt";
import { familyJti } from "../revocations";

/** The claims of an access token, whatever its format (RFC 9068 section 2.2). */
export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  client_id: string;
  scope: string;
  jti: string;
  iat: number;
  exp: number;
  /** RFC 9449 6: the thumbprint of the DPoP key the token is bound to */
  cnf?: { jkt: string };
  [claim: string]: unknown;
}

export interface IssuedAccessToken {
  token: string;
  expiresIn: number;
  claims: AccessTokenClaims;
}

export interface AccessTokenInput {
  client: ClientRecord;
  /** the user's id, or the client's for client credentials */
  subject: string;
  /** a user's token: its sub is the one the client sees (pairwise clients: subject.ts) */
  user?: boolean;
  scopes: string[];
  audiences: string[];
  resources: ApiResourceRecord[];
  /** user tokens: auth_time, sid, amr */
  extraClaims?: Record<string, unknown>;
  /** reference tokens issued from a code or refresh chain die with it */
  familyId?: string;
  /** seconds since the epoch the token must not outlive (an exchanged token's subject token) */
  notAfter?: number;
  /** the DPoP key thumbprint the token is bound to (RFC 9449 6) */
  jkt?: string;
}

/**
 * Issues an access token as an RFC 9068 JWT or as a reference handle, per the client's setting.
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-2
 */
export async function createAccessToken(ctx: ProviderContext, input: AccessTokenInput): Promise<IssuedAccessToken> {
  const iat = Math.floor(ctx.now() / 1000);
  const expiresIn = Math.max(0, Math.min(input.client.accessTokenLifetime, (input.notAfter ?? Infinity) - iat));
  const pairwise = input.user && input.client.subjectType === SubjectType.pairwise;
  const claims: AccessTokenClaims = {
    iss: ctx.settings.issuer,
    sub: pairwise ? await subjectFor(ctx, input.client, input.subject) : input.subject,
    aud: input.audiences.length === 1 ? input.audiences[0]! : input.audiences,
    client_id: input.client.clientId,
    scope: input.scopes.join(" "),
    jti: input.familyId ? familyJti(input.familyId, randomHandle(12)) : randomHandle(16),
    iat,
    exp: iat + expiresIn,
    ...input.extraClaims,
    ...(pairwise ? { [SEALED_SUBJECT_CLAIM]: await ctx.box.seal(input.subject) } : {}),
    ...(input.jkt ? { cnf: { jkt: input.jkt } } : {}),
  };
  if (input.client.accessTokenFormat === AccessTokenFormat.reference) {
    const handle = randomHandle(32);
    await saveRecord(ctx, {
      key: await recordKey.referenceToken(ctx, handle),
      type: GrantRecordType.referenceToken,
      clientId: input.client.clientId,
      subjectId: input.subject,
      familyId: input.familyId ?? null,
      data: claims,
      expiresAt: new Date(claims.exp * 1000),
      consumedAt: null,
    });
    return { token: handle, expiresIn, claims };
  }
  const signer = await ctx.keys.signingKey(signingAlgFor(input.resources));
  const token = await signJwt(signer, { typ: ACCESS_TOKEN_JWT_TYPE }, claims);
  return { token, expiresIn, claims };
}

/** The token_type of an access token: DPoP when bound to a key (RFC 9449 5, 6). */
export function tokenTypeOf(claims: Pick<AccessTokenClaims, "cnf">): TokenTypeName {
  return claims.cnf?.jkt ? TokenType.dpop : TokenType.bearer;
}

/** The algorithm the token's API resources share; the default when they differ. */
export function signingAlgFor(resources: ApiResourceRecord[]): SigningAlg {
  const algs = new Set(resources.map((r) => r.signingAlg));
  return algs.size === 1 ? [...algs][0]! : DEFAULT_SIGNING_ALG;
}
