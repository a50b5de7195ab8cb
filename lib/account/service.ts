/** The signed-in user's own view of their account and session. */
import type { ProviderContext } from "../oidc";
import { endBrowserSession, sessionFromHandle } from "../oidc";

export async function accountView(ctx: ProviderContext, sessionHandle: string | undefined) {
  const active = await sessionFromHandle(ctx, sessionHandle);
  if (!active) return null;
  const clients = await Promise.all(active.session.clients.map(async (id) => (await ctx.config.client(id))?.clientName ?? id));
  return {
    user: {
      name: (active.user.claims.name as string | undefined) ?? active.user.username,
      username: active.user.username,
      email: active.user.email,
    },
    session: { authTime: active.session.authTime, expiresAt: active.session.expiresAt, clients },
  };
}

/** Ends the browser's session (the account page's sign-out). */
export async function signOut(ctx: ProviderContext, sessionHandle: string | undefined): Promise<void> {
  await endBrowserSession(ctx, await sessionFromHandle(ctx, sessionHandle), { from: "account" });
}
