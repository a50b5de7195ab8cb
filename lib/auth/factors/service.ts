/**
 * Authenticator apps and recovery codes of one user: enrolment, use, removal.
 *
 * Rules:
 * - enrolment keeps an UNCONFIRMED factor (its secret sealed with the factors' SecretBox) until a
 *   first valid code confirms it; only a confirmed factor is a second factor;
 * - confirming makes ten recovery codes, returned once, stored as hashes;
 * - a code is accepted only for a time step later than the last accepted one, decided in one
 *   conditional update (replay, and two concurrent uses of one code: one wins);
 * - a recovery code is used once (update where usedAt is null);
 * - these functions check nothing about who calls: the account pages call them for the session's
 *   own user (after re-authentication where the rules say so), the admin service after its own
 *   authorization, the sign-in step after the password.
 */
import QRCode from "qrcode";
import type { ProviderContext, SecretBox } from "../../oidc";
import type { UserAccountStore } from "../ports";
import type { FactorStore } from "./ports";
import { matchTotpStep, newTotpSecret, totpUri } from "./totp";
import { newRecoveryCodes, normalizeRecoveryCode, recoveryCodeHash } from "./recovery";

/** The purpose the factors' SecretBox is derived with from the server secret. */
export const FACTOR_SECRETS_PURPOSE = "portcullis:totp-secrets";

export interface FactorDeps {
  ctx: ProviderContext;
  store: FactorStore;
  box: SecretBox;
  /** the sign-in throttle the second-factor step shares with the password */
  accounts: UserAccountStore;
}

export interface FactorSummary {
  totp: boolean;
  recoveryCodesLeft: number;
  passkeys: number;
}

export interface TotpEnrolment {
  secret: string;
  uri: string;
  /** the URI as a QR code, a data: URL of an SVG image */
  qr: string;
}

export type SecondFactorMethod = "totp" | "recovery";

export function createFactorService(deps: FactorDeps) {
  const { ctx, store, box } = deps;
  const now = () => new Date(ctx.now());
  // Apps list entries as "issuer: label"; the issuer's host names this portal without a setting.
  const issuerName = new URL(ctx.settings.issuer).host;

  const hashCodes = (codes: string[]) => Promise.all(codes.map((c) => recoveryCodeHash(ctx.sha256, normalizeRecoveryCode(c)!)));

  async function enrolmentOf(userId: string, secret: string): Promise<TotpEnrolment> {
    const user = await store.findUser(userId);
    const uri = totpUri(secret, issuerName, user?.username ?? userId);
    const svg = await QRCode.toString(uri, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
    return { secret, uri, qr: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}` };
  }

  return {
    /** What other parts ask: whether the user has a second factor, and which. */
    async factorsOf(userId: string): Promise<FactorSummary> {
      const totp = await store.getTotp(userId);
      return {
        totp: Boolean(totp?.confirmedAt),
        recoveryCodesLeft: await store.recoveryCodesLeft(userId),
        passkeys: await store.countPasskeys(userId),
      };
    },

    /** Whether a correct password must be followed by a second factor. */
    async hasSecondFactor(userId: string): Promise<boolean> {
      const f = await this.factorsOf(userId);
      return f.totp || f.passkeys > 0;
    },

    /** Starts (or restarts) enrolment; "exists" when an app is already confirmed. */
    async startTotpEnrolment(userId: string): Promise<TotpEnrolment | "exists"> {
      const secret = newTotpSecret();
      if (!(await store.startTotp(userId, await box.seal(secret), now()))) return "exists";
      return enrolmentOf(userId, secret);
    },

    /** The enrolment waiting for its first code, or null. */
    async pendingEnrolment(userId: string): Promise<TotpEnrolment | null> {
      const totp = await store.getTotp(userId);
      if (!totp || totp.confirmedAt) return null;
      return enrolmentOf(userId, await box.open(totp.secretSealed));
    },

    /** Confirms enrolment with a first code; the recovery codes come back, once. */
    async confirmTotpEnrolment(userId: string, code: string, meta: { ipAddress?: string } = {}) {
      const totp = await store.getTotp(userId);
      if (!totp || totp.confirmedAt) return { ok: false as const, reason: "no_enrolment" as const };
      const step = matchTotpStep(await box.open(totp.secretSealed), code, ctx.now());
      if (step === null) return { ok: false as const, reason: "wrong_code" as const };
      const codes = newRecoveryCodes();
      if (!(await store.confirmTotp(userId, step, now(), await hashCodes(codes)))) {
        return { ok: false as const, reason: "no_enrolment" as const };
      }
      await ctx.stores.audit.record({ type: "totp_enrolled", actor: userId, subject: userId, ipAddress: meta.ipAddress });
      return { ok: true as const, codes };
    },

    /** Checks a code of the user's confirmed app and uses up its time step. No throttle here: see verify.ts. */
    async verifyTotp(userId: string, code: string): Promise<boolean> {
      const totp = await store.getTotp(userId);
      if (!totp?.confirmedAt) return false;
      const step = matchTotpStep(await box.open(totp.secretSealed), code, ctx.now());
      return step !== null && (await store.useTotpStep(userId, step, now()));
    },

    /** Uses one recovery code of the user. No throttle here: see verify.ts. */
    async useRecoveryCode(userId: string, code: string, meta: { ipAddress?: string } = {}): Promise<boolean> {
      const normalized = normalizeRecoveryCode(code);
      if (!normalized) return false;
      if (!(await store.useRecoveryCode(userId, await recoveryCodeHash(ctx.sha256, normalized), now()))) return false;
      await ctx.stores.audit.record({
        type: "recovery_code_used",
        subject: userId,
        ipAddress: meta.ipAddress,
        details: { left: await store.recoveryCodesLeft(userId) },
      });
      return true;
    },

    /** New recovery codes replace all the old ones (the caller checked re-authentication). */
    async regenerateRecoveryCodes(userId: string, meta: { ipAddress?: string } = {}): Promise<string[] | null> {
      if (!(await store.getTotp(userId))?.confirmedAt) return null;
      const codes = newRecoveryCodes();
      await store.replaceRecoveryCodes(userId, await hashCodes(codes), now());
      await ctx.stores.audit.record({ type: "recovery_codes_regenerated", actor: userId, subject: userId, ipAddress: meta.ipAddress });
      return codes;
    },

    /** Removes the app and its recovery codes (the caller checked re-authentication). */
    async removeTotp(userId: string, meta: { ipAddress?: string } = {}): Promise<boolean> {
      const removed = await store.removeTotp(userId);
      await store.replaceRecoveryCodes(userId, [], now());
      if (removed) await ctx.stores.audit.record({ type: "totp_removed", actor: userId, subject: userId, ipAddress: meta.ipAddress });
      return removed;
    },

    /** Verifies a code of either kind (the sign-in step and step-up). */
    async verifyCode(userId: string, method: SecondFactorMethod, code: string, meta: { ipAddress?: string } = {}) {
      return method === "totp" ? this.verifyTotp(userId, code) : this.useRecoveryCode(userId, code, meta);
    },

    listPasskeys: (userId: string) => store.listPasskeys(userId),
  };
}

export type FactorService = ReturnType<typeof createFactorService>;
