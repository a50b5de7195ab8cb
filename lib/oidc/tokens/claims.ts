/**
 * User claims by scope (OpenID Connect Core 5.4): each granted identity resource releases its
 * claims. sub is always released; email, email_verified and preferred_username come from the
 * account, the rest from the user's stored claims.
 */
import type { IdentityResourceRecord, UserRecord } from "../ports";

export function userClaims(user: UserRecord, scopes: string[], identityResources: IdentityResourceRecord[]): Record<string, unknown> {
  const wanted = new Set<string>();
  for (const r of identityResources) if (r.enabled && scopes.includes(r.name)) for (const c of r.claims) wanted.add(c);
  const source: Record<string, unknown> = {
    ...user.claims,
    preferred_username: user.claims.preferred_username ?? user.username,
    updated_at: Math.floor(user.updatedAt.getTime() / 1000),
    ...(user.email ? { email: user.email, email_verified: user.emailVerified } : {}),
  };
  const out: Record<string, unknown> = { sub: user.id };
  for (const c of wanted) if (c !== "sub" && source[c] !== undefined) out[c] = source[c];
  return out;
}
