/**
 * Who may administer: a user with the admin role (console, or the API with the browser session
 * and a CSRF header), or a caller holding an access token from this server with the
 * portcullis:admin scope (automation).
 */
import type { ProviderContext } from "../oidc";
import { sessionFromHandle } from "../oidc/session";
import { inspectAccessToken } from "../oidc/tokens/inspect";
import type { Actor } from "./clients";

export const ADMIN_SCOPE = "portcullis:admin";
export const ADMIN_ROLE = "admin";
/** The built-in API resource that owns ADMIN_SCOPE. */
export const ADMIN_API = "urn:portcullis:admin-api";

export async function adminFromSession(ctx: ProviderContext, handle: string | undefined): Promise<{ actor: Actor | null; signedIn: boolean }> {
  const active = await sessionFromHandle(ctx, handle);
  if (!active) return { actor: null, signedIn: false };
  if (!active.user.roles.includes(ADMIN_ROLE)) return { actor: null, signedIn: true };
  return { actor: { id: active.user.id, name: active.user.username }, signedIn: true };
}

export type BearerResult = { ok: true; actor: Actor } | { ok: false; reason: "invalid" | "insufficient_scope" };

export async function adminFromBearer(ctx: ProviderContext, token: string): Promise<BearerResult> {
  const found = await inspectAccessToken(ctx, token);
  if (!found) return { ok: false, reason: "invalid" };
  if (!found.claims.scope.split(" ").includes(ADMIN_SCOPE)) return { ok: false, reason: "insufficient_scope" };
  return { ok: true, actor: { id: found.claims.sub, name: `client:${found.claims.client_id}` } };
}
