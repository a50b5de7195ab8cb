/**
 * The links of the account lifecycle: email verification and password reset.
 *
 * Rules:
 * - a token is 32 random bytes, base64url, in the link only; the database keeps ctx.sha256 of
 *   it, so a copy of the database opens no account;
 * - verify_email lasts 24 hours, reset_password 30 minutes; each works once: using one is ONE
 *   conditional update (unused, unexpired, this purpose), so of two concurrent uses one wins;
 * - a new link of a purpose retires the user's earlier unused ones of that purpose.
 */
import type { ProviderContext } from "../oidc";
import type { LifecycleStore, TokenPurpose } from "./ports";

export const TOKEN_LIFETIME: Record<TokenPurpose, number> = {
  verify_email: 24 * 60 * 60,
  reset_password: 30 * 60,
};

/** A token's plain-words lifetime, for the mail's footnote. */
export const LIFETIME_WORDS: Record<TokenPurpose, string> = { verify_email: "24 hours", reset_password: "30 minutes" };

/** The longest token a link may carry (43 characters are issued): longer ones are not looked up. */
export const MAX_TOKEN_LENGTH = 100;

function newToken(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString("base64url");
}

export async function issueToken(
  ctx: ProviderContext,
  store: LifecycleStore,
  t: { userId: string; purpose: TokenPurpose; email: string | null },
): Promise<string> {
  const token = newToken();
  const now = ctx.now();
  await store.retireTokens(t.userId, t.purpose, new Date(now));
  await store.addToken({ ...t, tokenHash: await ctx.sha256(token), expiresAt: new Date(now + TOKEN_LIFETIME[t.purpose] * 1000) });
  return token;
}

const usable = (token: string | undefined): token is string => !!token && token.length <= MAX_TOKEN_LENGTH;

/** The token's user and address while it is usable; nothing is changed. */
export async function peekToken(ctx: ProviderContext, store: LifecycleStore, token: string | undefined, purpose: TokenPurpose) {
  if (!usable(token)) return null;
  return store.peekToken(await ctx.sha256(token), purpose, new Date(ctx.now()));
}

/** Uses the token up: its user and address, or null when it is unknown, used or expired. */
export async function consumeToken(ctx: ProviderContext, store: LifecycleStore, token: string | undefined, purpose: TokenPurpose) {
  if (!usable(token)) return null;
  return store.consumeToken(await ctx.sha256(token), purpose, new Date(ctx.now()));
}
