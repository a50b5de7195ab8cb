/**
 * id_token_hint (OpenID Connect Core 3.1.2.1, RP-Initiated Logout 1.0 section 2).
 *
 * Rules:
 * - a hint is an ID token this server signed: header typ JWT (access tokens are at+jwt) and no
 *   client_id or scope claim (which every access token of ours has);
 * - its aud is one client id, the expected client's when one is known, and that client exists;
 * - an expired ID token is still a hint (the spec allows it; it only names a user).
 */
import { jwtVerify } from "jose";
import type { ProviderContext } from "../context";

export interface IdTokenHint {
  sub: string;
  sid?: string;
  clientId: string;
}

/** The hint's claims, or null when it is not an ID token we issued (to `clientId` when given). */
export async function verifyIdTokenHint(ctx: ProviderContext, token: string, clientId?: string): Promise<IdTokenHint | null> {
  try {
    const { payload } = await jwtVerify(token, await ctx.keys.verificationKeys(), {
      issuer: ctx.settings.issuer,
      typ: "JWT",
      currentDate: new Date(0),
      ...(clientId ? { audience: clientId } : {}),
    });
    const aud = Array.isArray(payload.aud) && payload.aud.length === 1 ? payload.aud[0] : payload.aud;
    if (typeof payload.sub !== "string" || typeof aud !== "string" || "client_id" in payload || "scope" in payload) return null;
    if (!(await ctx.config.client(aud))) return null;
    return { sub: payload.sub, sid: typeof payload.sid === "string" ? payload.sid : undefined, clientId: aud };
  } catch {
    return null;
  }
}
