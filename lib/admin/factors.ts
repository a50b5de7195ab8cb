/**
 * Administrators and users' sign-in factors: see them, and reset them when a user lost their
 * authenticator app and recovery codes (or their passkeys).
 *
 * Rules:
 * - every call starts with `authorize` (./access.ts), like every admin service;
 * - a reset deletes the authenticator app, the recovery codes and the passkeys in one
 *   transaction, is audited with what was removed, and tells the user by mail (a reset someone
 *   did not ask for is a sign of an attack on their account); a mail that cannot be sent does
 *   not undo the reset, it is logged;
 * - the answer names factors only (no secrets, no credential ids).
 */
import type { AuditSink } from "../oidc";
import type { FactorStore } from "../auth/factors/ports";
import { composeMail, type Mailer } from "../mail";
import type { Authorize, Principal } from "./access";
import { notFound } from "./errors";

export interface UserFactorsView {
  username: string;
  totp: { enabled: boolean; created_at: string | null; last_used_at: string | null };
  recovery_codes_left: number;
  passkeys: { id: string; name: string; created_at: string; last_used_at: string | null }[];
}

export function createFactorAdmin(
  store: FactorStore,
  audit: AuditSink,
  authorize: Authorize,
  mail: { mailer?: Pick<Mailer, "send">; portal: string; log?: (message: string) => void },
) {
  const need = async (username: string) => {
    const user = username.length <= 200 ? await store.findUserByName(username) : null;
    if (!user) throw notFound(`user ${username}`);
    return user;
  };
  return {
    async get(principal: Principal, username: string): Promise<UserFactorsView> {
      await authorize(principal);
      const user = await need(username);
      const totp = await store.getTotp(user.id);
      const confirmed = totp?.confirmedAt ? totp : null;
      return {
        username: user.username,
        totp: {
          enabled: Boolean(confirmed),
          created_at: confirmed?.confirmedAt?.toISOString() ?? null,
          last_used_at: confirmed?.lastUsedAt?.toISOString() ?? null,
        },
        recovery_codes_left: await store.recoveryCodesLeft(user.id),
        passkeys: (await store.listPasskeys(user.id)).map((p) => ({
          id: p.id,
          name: p.name,
          created_at: p.createdAt.toISOString(),
          last_used_at: p.lastUsedAt?.toISOString() ?? null,
        })),
      };
    },

    /** Deletes the user's authenticator app, recovery codes and passkeys; audited, and the user is told. */
    async reset(principal: Principal, username: string) {
      const actor = await authorize(principal);
      const user = await need(username);
      const removed = await store.resetAll(user.id);
      await audit.record({
        type: "admin.user_factors_reset",
        actor: actor.name,
        subject: user.id,
        details: { username: user.username, ...removed },
      });
      if (user.email && mail.mailer) {
        try {
          await mail.mailer.send(
            composeMail({
              to: user.email,
              purpose: "factors_reset",
              subject: "Your sign-in factors were reset",
              portal: mail.portal,
              greeting: `Hello ${user.username},`,
              paragraphs: [
                "An administrator reset your sign-in factors: your authenticator app, recovery codes and passkeys no longer work here.",
                "You can now sign in with your password alone. Set up two-step verification again on your account's security page.",
                "If you did not ask for this, contact your administrator at once.",
              ],
            }),
          );
        } catch (err) {
          mail.log?.(`factors reset mail to user ${user.id} not sent: ${(err as Error).message}`);
        }
      }
      return { username: user.username, reset: removed };
    },
  };
}

export type FactorAdmin = ReturnType<typeof createFactorAdmin>;
