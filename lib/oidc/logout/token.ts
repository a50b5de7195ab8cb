/**
 * Logout tokens (OpenID Connect Back-Channel Logout 1.0 section 2.4).
 *
 * Rules:
 * - a JWT signed with the provider's ID token key (RS256), header typ logout+jwt;
 * - claims iss, aud (the client_id), iat, exp (LOGOUT_TOKEN_LIFETIME), jti (random), events with
 *   the back-channel logout member (an empty object), sid (the session id, never the cookie's
 *   secret), sub (the subject the client knows, subject.ts: pairwise for a pairwise client);
 * - never a nonce (section 2.4: a logout token with one must be rejected).
 */
import { BackchannelLogout } from "../constants";
import type { ProviderContext } from "../context";
import { randomHandle } from "../crypto";
import { signJwt } from "../jwt";
import type { ClientRecord } from "../ports";
import { subjectFor } from "../subject";

/** seconds a logout token is valid: long enough for retries of one attempt, short against replay */
export const LOGOUT_TOKEN_LIFETIME = 120;

/** @see https://openid.net/specs/openid-connect-backchannel-1_0.html#LogoutToken */
export async function createLogoutToken(
  ctx: ProviderContext,
  client: Pick<ClientRecord, "clientId" | "subjectType" | "sectorIdentifier" | "redirectUris">,
  session: { sessionId: string; userId: string },
): Promise<string> {
  const signer = await ctx.keys.signingKey("RS256");
  const iat = Math.floor(ctx.now() / 1000);
  return signJwt(
    signer,
    { typ: BackchannelLogout.tokenType },
    {
      iss: ctx.settings.issuer,
      sub: await subjectFor(ctx, client, session.userId),
      aud: client.clientId,
      iat,
      exp: iat + LOGOUT_TOKEN_LIFETIME,
      jti: randomHandle(16),
      events: { [BackchannelLogout.event]: {} },
      sid: session.sessionId,
    },
  );
}
