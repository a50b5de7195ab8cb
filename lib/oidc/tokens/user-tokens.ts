/**
 * Tokens for a signed-in user (authorization code and refresh token grants): an access token,
 * an ID token when openid was granted, a refresh token when offline_access was granted to a
 * client that may use the refresh_token grant.
 *
 * The ID token carries the user claims of the granted identity scopes (OpenID Connect Core 5.4
 * releases them at userinfo; most relying-party libraries, Auth.js, express-openid-connect and
 * passport-openidconnect among them, build their user from the ID token by default) unless the
 * client's id_token_user_claims is off (then only those the claims parameter names); the protocol
 * claims always win over stored ones.
 */
import { resolveResourceScopes } from "../checks/resource-scopes";
import { ClientAuthMethod, GrantRecordType, GrantType, ID_TOKEN_PROTOCOL_CLAIMS, OFFLINE_ACCESS, OPENID, Paths } from "../constants";
import type { ProviderContext } from "../context";
import { base64url, randomHandle } from "../crypto";
import { recordKey, saveRecord } from "../records";
import type { ClientRecord, UserRecord } from "../ports";
import type { TokenResponseBody } from "../grants/types";
import { createAccessToken, tokenTypeOf } from "./access-token";
import type { VerifiedDpopProof } from "../checks/dpop";
import { userClaims } from "./claims";
import { signJwt } from "../jwt";
import { acrOf } from "../acr";
import { subjectFor } from "../subject";

/** What a code or a refresh token carries about the grant. */
export interface UserGrant {
  subject: string;
  sessionId: string;
  scopes: string[];
  resources: string[];
  authTime: number;
  amr: string[];
  /** the external identity provider the user signed in with (ID token idp claim) */
  idp?: string;
  nonce?: string;
  /** user claims the claims parameter asked for in the ID token (granted scopes permitting) */
  idTokenClaims?: string[];
  familyId: string;
  /** when the first token of the family was issued (absolute refresh lifetime), ms */
  familyCreatedAt: number;
  /** a public client's refresh tokens: the DPoP key they are bound to (RFC 9449 5) */
  jkt?: string;
}

export async function issueUserTokens(
  ctx: ProviderContext,
  client: ClientRecord,
  grant: UserGrant,
  /** user: the grant's user as the grant just read it (its claims go into the ID token) */
  options: { idToken: boolean; user: UserRecord; refreshToken?: string | null; dpop?: VerifiedDpopProof },
): Promise<TokenResponseBody> {
  const identity = new Set((await ctx.config.identityResources()).map((r) => r.name));
  const api = grant.scopes.filter((s) => s !== OFFLINE_ACCESS && !identity.has(s));
  const resourceGrant =
    api.length || grant.resources.length
      ? resolveResourceScopes(client, await ctx.config.apiResources(), api, grant.resources)
      : { scopes: [], audiences: [], resources: [] };
  const audiences = resourceGrant.audiences.length ? resourceGrant.audiences : [ctx.settings.issuer + Paths.userinfo];
  const access = await createAccessToken(ctx, {
    client,
    subject: grant.subject,
    user: true,
    scopes: grant.scopes,
    audiences,
    resources: resourceGrant.resources,
    familyId: grant.familyId,
    jkt: options.dpop?.jkt,
    extraClaims: { auth_time: grant.authTime, sid: grant.sessionId, acr: acrOf(grant.amr) },
  });
  const body: TokenResponseBody = {
    access_token: access.token,
    token_type: tokenTypeOf(access.claims),
    expires_in: access.expiresIn,
    scope: grant.scopes.join(" "),
  };
  if (options.idToken && grant.scopes.includes(OPENID))
    body.id_token = await createIdToken(ctx, client, grant, options.user, { accessToken: access.token });
  if (options.refreshToken !== undefined) {
    if (options.refreshToken) body.refresh_token = options.refreshToken;
  } else if (grant.scopes.includes(OFFLINE_ACCESS) && client.grantTypes.includes(GrantType.refreshToken)) {
    // RFC 9449 5: a public client's refresh token is bound to its DPoP key; a confidential
    // client's is bound by its authentication already.
    const bound = options.dpop && client.tokenEndpointAuthMethod === ClientAuthMethod.none ? { ...grant, jkt: options.dpop.jkt } : grant;
    body.refresh_token = await createRefreshToken(ctx, client, bound);
  }
  return body;
}

/**
 * An ID token, with at_hash and c_hash of the access token and code issued beside it. Alone
 * (response_type id_token, no access token ever) it carries every claim the granted identity scopes
 * release: there is no userinfo call to get them (OpenID Connect Core 5.4).
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDToken
 * @see https://openid.net/specs/openid-connect-core-1_0.html#HybridIDToken
 */
export async function createIdToken(
  ctx: ProviderContext,
  client: ClientRecord,
  grant: UserGrant,
  user: UserRecord,
  /** alone: response_type id_token, no access token beside it */
  beside: { accessToken?: string; code?: string; alone?: boolean },
): Promise<string> {
  const signer = await ctx.keys.signingKey("RS256");
  const iat = Math.floor(ctx.now() / 1000);
  // The granted identity scopes' user claims (all, or those the claims parameter named), without
  // any named like a protocol claim: a stored nonce, idp or acr must not fill in where this token sets none.
  const granted = userClaims(user, grant.scopes, await ctx.config.identityResources());
  const released =
    client.idTokenUserClaims || beside.alone
      ? granted
      : Object.fromEntries(Object.entries(granted).filter(([name]) => grant.idTokenClaims?.includes(name)));
  const claims: Record<string, unknown> = {
    ...Object.fromEntries(Object.entries(released).filter(([name]) => !ID_TOKEN_PROTOCOL_CLAIMS.has(name))),
    iss: ctx.settings.issuer,
    sub: await subjectFor(ctx, client, grant.subject),
    aud: client.clientId,
    exp: iat + client.idTokenLifetime,
    iat,
    auth_time: grant.authTime,
    sid: grant.sessionId,
    amr: grant.amr,
    acr: acrOf(grant.amr),
    ...(beside.accessToken ? { at_hash: await leftHalfHash(beside.accessToken) } : {}),
    ...(beside.code ? { c_hash: await leftHalfHash(beside.code) } : {}),
    ...(grant.nonce ? { nonce: grant.nonce } : {}),
    // Which identity provider authenticated the user (as Duende and Azure AD name it); none for a local sign-in.
    ...(grant.idp ? { idp: grant.idp } : {}),
  };
  return signJwt(signer, { typ: "JWT" }, claims);
}

/** at_hash and c_hash for RS256: the left half of the SHA-256 of the value, base64url. */
async function leftHalfHash(token: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)));
  return base64url(digest.slice(0, digest.length / 2));
}

/** A new refresh token of the grant's family, its expiry the sooner of sliding and absolute. */
export async function createRefreshToken(
  ctx: ProviderContext,
  client: ClientRecord,
  grant: UserGrant,
  handle = randomHandle(32),
): Promise<string> {
  const now = ctx.now();
  const expiresAt = Math.min(
    now + client.refreshTokenSlidingLifetime * 1000,
    grant.familyCreatedAt + client.refreshTokenAbsoluteLifetime * 1000,
  );
  await saveRecord(ctx, {
    key: await recordKey.refreshToken(ctx, handle),
    type: GrantRecordType.refreshToken,
    clientId: client.clientId,
    subjectId: grant.subject,
    familyId: grant.familyId,
    data: grant,
    expiresAt: new Date(expiresAt),
    consumedAt: null,
  });
  return handle;
}
