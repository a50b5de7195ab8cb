/**
 * The admin boundary: who may administer, decided again at the time of every call.
 *
 * Rules:
 * - a Principal is made only here, from a browser session or a bearer access token; the admin
 *   services accept nothing else and start every read and write with `authorize`, so no page,
 *   action or route handler reaches admin data without a decision;
 * - a browser session counts while it is live (not revoked, not expired) and its user exists,
 *   is not locked and holds the admin role; all three are read again on every call;
 * - a client_credentials token (its subject is the client) counts when it carries
 *   portcullis:admin, names the admin API in `aud`, and its client is still enabled and still
 *   allowed the scope;
 * - a user's access token (from any client allowed portcullis:admin, interactive or not) counts
 *   on the same terms AND only while its user exists, is not locked and holds the admin role at
 *   the time of the call: the scope alone never makes a user an administrator;
 * - the audit log names who acted: `user:root`, `client:automation`,
 *   `user:alice via client:console-spa`.
 */
import type { ProviderContext } from "../oidc";
import { sessionFromHandle } from "../oidc";
import { inspectAccessToken } from "../oidc";
import { forbidden, unauthenticated } from "./errors";

export const ADMIN_SCOPE = "portcullis:admin";
export const ADMIN_ROLE = "admin";
/** The built-in API resource that owns ADMIN_SCOPE. */
export const ADMIN_API = "urn:portcullis:admin-api";

/** Who acted: `name` as the audit log records it; `username` for the user principals. */
export interface Actor {
  id: string;
  name: string;
  username?: string;
}

declare const issuedHere: unique symbol;

/**
 * An authenticated caller, not yet a decision: `authorize` decides, on every call. Only this
 * module can make one (the brand cannot be written elsewhere, and `authorize` refuses objects it
 * did not hand out).
 */
export type Principal = { readonly [issuedHere]: true } & (
  | { readonly kind: "user"; readonly via: "session"; readonly userId: string; readonly sessionId: string }
  | { readonly kind: "user"; readonly via: "token"; readonly userId: string; readonly clientId: string; readonly expiresAt: number }
  | { readonly kind: "client"; readonly clientId: string; readonly expiresAt: number }
);

export type BearerResult = { ok: true; principal: Principal } | { ok: false; reason: "invalid_token" | "insufficient_scope" };

export interface AdminAccess {
  /** The principal of a browser's session cookie, or null when it names no live session. */
  fromSession(handle: string | undefined): Promise<Principal | null>;
  /** The principal of a bearer access token issued here. */
  fromBearer(token: string): Promise<BearerResult>;
  /**
   * The decision. Returns the actor for the audit log; throws `unauthenticated` (no live
   * credentials) or `forbidden` (no admin role), see ./errors.ts.
   */
  authorize(principal: Principal | null | undefined): Promise<Actor>;
}

export type Authorize = AdminAccess["authorize"];

export function createAdminAccess(ctx: ProviderContext): AdminAccess {
  // Principals this instance handed out; anything else is refused, whatever its shape.
  const issued = new WeakSet<object>();
  const issue = (p: Record<string, unknown>): Principal => {
    const principal = Object.freeze(p) as unknown as Principal;
    issued.add(principal);
    return principal;
  };

  async function adminUser(userId: string): Promise<{ id: string; username: string }> {
    const user = await ctx.stores.users.findUser(userId);
    if (!user || user.locked) throw unauthenticated("the user is locked or no longer exists");
    if (!user.roles.includes(ADMIN_ROLE)) throw forbidden("the admin role is required");
    return user;
  }

  async function adminClient(clientId: string, expiresAt: number): Promise<void> {
    if (expiresAt * 1000 <= ctx.now()) throw unauthenticated("the access token is invalid or expired");
    const client = await ctx.config.client(clientId);
    if (!client?.enabled || !client.allowedScopes.includes(ADMIN_SCOPE)) throw unauthenticated("the access token is invalid or expired");
  }

  return {
    async fromSession(handle) {
      const active = await sessionFromHandle(ctx, handle);
      return active ? issue({ kind: "user", via: "session", userId: active.user.id, sessionId: active.session.id }) : null;
    },

    async fromBearer(token) {
      const found = await inspectAccessToken(ctx, token);
      if (!found) return { ok: false, reason: "invalid_token" };
      const { claims } = found;
      // The admin API takes Bearer tokens only: a DPoP-bound token without its proof is refused (RFC 9449 7.2).
      if (claims.cnf !== undefined) return { ok: false, reason: "invalid_token" };
      const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
      if (!claims.scope.split(" ").includes(ADMIN_SCOPE) || !audiences.includes(ADMIN_API))
        return { ok: false, reason: "insufficient_scope" };
      // client_credentials tokens have the client as subject and no sign-in (auth_time).
      const principal =
        claims.sub === claims.client_id && claims.auth_time === undefined
          ? issue({ kind: "client", clientId: claims.client_id, expiresAt: claims.exp })
          : issue({ kind: "user", via: "token", userId: found.subject, clientId: claims.client_id, expiresAt: claims.exp });
      return { ok: true, principal };
    },

    async authorize(principal) {
      if (!principal || !issued.has(principal)) throw unauthenticated("authentication required");
      if (principal.kind === "client") {
        await adminClient(principal.clientId, principal.expiresAt);
        return { id: principal.clientId, name: `client:${principal.clientId}` };
      }
      if (principal.via === "session") {
        const session = await ctx.stores.sessions.findSession(principal.sessionId);
        if (!session || session.revokedAt || session.expiresAt.getTime() <= ctx.now()) throw unauthenticated("the session has ended");
        const user = await adminUser(principal.userId);
        return { id: user.id, name: `user:${user.username}`, username: user.username };
      }
      await adminClient(principal.clientId, principal.expiresAt);
      const user = await adminUser(principal.userId);
      return { id: user.id, name: `user:${user.username} via client:${principal.clientId}`, username: user.username };
    },
  };
}
