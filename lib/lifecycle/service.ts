/**
 * The account lifecycle: sign-up, email verification, password reset (issue 11).
 *
 * Rules (each function's comment has its own):
 * - mail goes through runtime.mailer; a mail that cannot be sent is logged and never changes the
 *   answer (that would tell whether an address exists);
 * - work whose duration depends on whether an account exists (looking it up, making a token,
 *   sending mail) runs off the response path (`defer`), so the answer's time does not tell;
 * - every change is audited with the user as subject.
 */
import type { ProviderContext } from "../oidc";
import { addressKey, hitInOrder, nameKey, revokeUserTokens, startSession } from "../oidc";
import { hashPassword } from "../auth/password";
import { passwordProblem, type PasswordProblem } from "../auth/password-policy";
import type { Mailer, MailMessage } from "../mail";
import type { PortalSettings } from "../settings/schema";
import type { LifecycleStore, LifecycleUser } from "./ports";
import { consumeToken, issueToken, peekToken } from "./tokens";
import { emailChangeNoticeMail, passwordChangedMail, resetPasswordMail, signUpAttemptMail, verifyEmailMail } from "./mails";
import { LifecyclePages, pageUrl } from "./paths";

/** Mails with a link one user may be sent per hour (the per-minute cap is rate limit mail.user). */
export const MAILS_PER_HOUR = 5;

export interface LifecycleDeps {
  ctx: ProviderContext;
  store: LifecycleStore;
  mailer: Pick<Mailer, "send">;
  settings: () => Promise<PortalSettings>;
  /** runs work off the response path; the default starts it and logs a failure */
  defer?: (work: () => Promise<void>) => void;
}

export interface Meta {
  ipAddress?: string;
  userAgent?: string;
}

export type SignUpFields = {
  username: string;
  email: string;
  password: string;
  claims: Record<string, string>;
  interaction?: string;
};

export type SignUpResult =
  | { kind: "check_mail" }
  | { kind: "signed_in"; handle: string }
  | { kind: "username_taken" }
  | { kind: "password"; problem: PasswordProblem }
  | { kind: "closed" }
  | { kind: "throttled"; retryAfter: number };

export function createLifecycle(d: LifecycleDeps) {
  const { ctx, store } = d;
  const issuer = ctx.settings.issuer;
  const defer =
    d.defer ??
    ((work: () => Promise<void>) => {
      void work().catch((err: unknown) =>
        ctx.log.error("account lifecycle work failed", { error: err instanceof Error ? err.message : String(err) }),
      );
    });

  async function send(m: MailMessage): Promise<void> {
    try {
      await d.mailer.send(m);
    } catch (err) {
      // The mailer logged the refusal; the person's answer stays the same.
      ctx.log.warn("a lifecycle mail was not sent", { purpose: m.purpose, error: err instanceof Error ? err.message : String(err) });
    }
  }

  /** Under the per-user caps: one a minute (rate limit mail.user), MAILS_PER_HOUR an hour. */
  async function mayMail(user: LifecycleUser, purpose: "verify_email" | "reset_password"): Promise<boolean> {
    if ((await ctx.limits.hit("mail.user", nameKey(user.id))) > 0) return false;
    const since = new Date(ctx.now() - 3600_000);
    return (await store.countTokensSince(user.id, purpose, since)) < MAILS_PER_HOUR;
  }

  async function mailVerification(user: LifecycleUser, email: string, change: boolean, interaction?: string): Promise<void> {
    const token = await issueToken(ctx, store, { userId: user.id, purpose: "verify_email", email });
    await send(verifyEmailMail(email, user.username, pageUrl(issuer, LifecyclePages.verifyEmail, { token, interaction }), change));
  }

  return {
    /**
     * Sign-up (settings.signUp).
     * - closed unless enabled; counted per address (rate limit signup.ip) before any other work;
     * - a taken username is told: usernames are public (they are shown and typed to sign in);
     * - a taken email is not: the answer is "check your mail" as for a new account, after the same
     *   password hashing, and the address's owner gets a mail saying someone tried;
     * - the new account must verify its email before it can sign in when requireVerifiedEmail
     *   (pendingEmail = email marks it); otherwise it is signed in at once. Either way a
     *   verification link is sent, so email_verified can become true.
     * With requireVerifiedEmail off, the immediate sign-in tells a new address from a taken one:
     * README says so.
     */
    async signUp(input: SignUpFields, meta: Meta = {}): Promise<SignUpResult> {
      const settings = await d.settings();
      if (!settings.signUp.enabled) return { kind: "closed" };
      const wait = await hitInOrder(ctx.limits, [["signup.ip", addressKey(meta.ipAddress)]]);
      if (wait > 0) return { kind: "throttled", retryAfter: wait };
      const problem = passwordProblem(input.password, input, settings.password);
      if (problem) return { kind: "password", problem };
      const hash = await hashPassword(input.password);
      if (await store.findByLogin(input.username)) return { kind: "username_taken" };
      const owner = await store.findByEmail(input.email);
      const attempt = () => {
        const forgot = pageUrl(issuer, LifecyclePages.forgot);
        defer(() => send(signUpAttemptMail(input.email, issuer + "/account", forgot)));
        return { kind: "check_mail" } as const;
      };
      if (owner) return attempt();
      const requireVerified = settings.signUp.requireVerifiedEmail;
      const created = await store.createUser({
        username: input.username,
        email: input.email,
        passwordHash: hash,
        claims: input.claims,
        awaitingVerification: requireVerified,
        at: new Date(ctx.now()),
      });
      if (!created.ok) return created.taken === "username" ? { kind: "username_taken" } : attempt();
      ctx.config.invalidate();
      await ctx.stores.audit.record({
        type: "user_signed_up",
        actor: created.id,
        subject: created.id,
        ipAddress: meta.ipAddress,
        details: { username: input.username },
      });
      const user = (await store.findUser(created.id))!;
      defer(() => mailVerification(user, input.email, false, input.interaction));
      if (requireVerified) return { kind: "check_mail" };
      const { handle } = await startSession(ctx, { userId: user.id, amr: ["pwd"], ipAddress: meta.ipAddress, userAgent: meta.userAgent });
      return { kind: "signed_in", handle };
    },

    /** The address a verification link proves, while it is usable (the confirmation page). */
    async verificationOf(token: string | undefined): Promise<{ email: string } | null> {
      const found = await peekToken(ctx, store, token, "verify_email");
      return found?.email ? { email: found.email } : null;
    },

    /**
     * Confirms a verification link (POST only: mail scanners fetch links). The token is used up
     * in one statement; the address then replaces or proves the user's email (lib/lifecycle/ports.ts).
     */
    async verifyEmail(token: string | undefined, meta: Meta = {}): Promise<"verified" | "invalid" | "taken"> {
      const used = await consumeToken(ctx, store, token, "verify_email");
      if (!used?.email) return "invalid";
      const result = await store.verifyEmail(used.userId, used.email);
      if (result === "stale") return "invalid";
      if (result === "verified") ctx.config.invalidate();
      await ctx.stores.audit.record({
        type: result === "verified" ? "email_verified" : "email_verification_failed",
        actor: used.userId,
        subject: used.userId,
        ipAddress: meta.ipAddress,
        details: { email: used.email, ...(result === "taken" ? { reason: "address taken by another account" } : {}) },
      });
      return result;
    },

    /**
     * A new verification link for the user's address waiting for one (pendingEmail, else an
     * unverified email); counted per address and capped per user. Quiet: the answer is the same.
     */
    async resendVerification(userId: string, meta: Meta = {}, interaction?: string): Promise<"sent" | "throttled"> {
      const wait = await hitInOrder(ctx.limits, [["recovery.ip", addressKey(meta.ipAddress)]]);
      if (wait > 0) return "throttled";
      const user = await store.findUser(userId);
      const email = user?.pendingEmail ?? (user && !user.emailVerified ? user.email : null);
      if (!user || !email) return "sent";
      if (!(await mayMail(user, "verify_email"))) return "throttled";
      defer(() => mailVerification(user, email, user.pendingEmail !== null && user.pendingEmail !== user.email, interaction));
      return "sent";
    },

    /** The address waiting for its link (an email change, or a sign-up's own), or null. */
    async pendingEmailOf(userId: string): Promise<string | null> {
      return (await store.findUser(userId))?.pendingEmail ?? null;
    },

    /**
     * A signed-in user's new email address: kept in pendingEmail and mailed a link; the old
     * address stays until the link is used, and is told. An address another account holds gets
     * no mail, with the same answer (the form must not tell who is registered).
     */
    async requestEmailChange(userId: string, email: string, meta: Meta = {}): Promise<"sent" | "same" | "throttled"> {
      const user = await store.findUser(userId);
      if (!user) return "sent";
      if (user.email === email && user.emailVerified) return "same";
      if (!(await mayMail(user, "verify_email"))) return "throttled";
      const owner = await store.findByEmail(email);
      if (owner && owner.id !== user.id) return "sent";
      await store.setPendingEmail(user.id, email);
      await ctx.stores.audit.record({
        type: "email_change_requested",
        actor: user.id,
        subject: user.id,
        ipAddress: meta.ipAddress,
        details: { email },
      });
      defer(async () => {
        await mailVerification(user, email, true);
        if (user.email && user.email !== email) await send(emailChangeNoticeMail(user.email, user.username, email));
      });
      return "sent";
    },

    /**
     * Forgot password: always the same answer, at once; the lookup, the token and the mail run
     * off the response path. Only a verified email gets a link (a link to an unproven address
     * would hand the account to whoever typed it at sign-up); a locked account gets none.
     */
    async requestPasswordReset(login: string, meta: Meta = {}): Promise<"sent" | "throttled"> {
      const wait = await hitInOrder(ctx.limits, [["recovery.ip", addressKey(meta.ipAddress)]]);
      if (wait > 0) return "throttled";
      defer(async () => {
        const user = await store.findByLogin(login.trim());
        if (!user || !user.email || !user.emailVerified || user.locked) return;
        if (!(await mayMail(user, "reset_password"))) return;
        const token = await issueToken(ctx, store, { userId: user.id, purpose: "reset_password", email: user.email });
        await ctx.stores.audit.record({ type: "password_reset_requested", subject: user.id, ipAddress: meta.ipAddress, details: {} });
        await send(resetPasswordMail(user.email, user.username, pageUrl(issuer, LifecyclePages.resetPassword, { token })));
      });
      return "sent";
    },

    /** Whose password a reset link sets, while it is usable (the reset page). */
    async resetOf(token: string | undefined): Promise<{ userId: string; username: string } | null> {
      const found = await peekToken(ctx, store, token, "reset_password");
      const user = found && (await store.findUser(found.userId));
      return user ? { userId: user.id, username: user.username } : null;
    },

    /**
     * Sets the new password of a reset link: checked by the policy, the token used up in one
     * statement, then every session and token of the user ends, audited, and the user is mailed.
     */
    async resetPassword(
      token: string | undefined,
      password: string,
      meta: Meta = {},
    ): Promise<{ kind: "reset" } | { kind: "invalid" } | { kind: "password"; problem: PasswordProblem }> {
      const found = await peekToken(ctx, store, token, "reset_password");
      const user = found && (await store.findUser(found.userId));
      if (!user) return { kind: "invalid" };
      const problem = passwordProblem(password, user, (await d.settings()).password);
      if (problem) return { kind: "password", problem };
      const hash = await hashPassword(password);
      const used = await consumeToken(ctx, store, token, "reset_password");
      if (!used || used.userId !== user.id) return { kind: "invalid" };
      const at = new Date(ctx.now());
      await store.setPassword(user.id, hash, at);
      const ended = await store.revokeAllSessions(user.id, at);
      await revokeUserTokens(ctx, user.id);
      await ctx.stores.audit.record({
        type: "password_reset",
        actor: user.id,
        subject: user.id,
        ipAddress: meta.ipAddress,
        details: { sessionsEnded: ended },
      });
      if (user.email) defer(() => send(passwordChangedMail(user.email!, user.username)));
      return { kind: "reset" };
    },
  };
}

export type Lifecycle = ReturnType<typeof createLifecycle>;
