/** Second factors: authenticator apps (TOTP), recovery codes, and the sign-in step that asks for them. */
export {
  createFactorService,
  FACTOR_SECRETS_PURPOSE,
  type FactorDeps,
  type FactorService,
  type FactorSummary,
  type SecondFactorMethod,
  type TotpEnrolment,
} from "./service";
export type { FactorStore, FactorUser, PasskeySummary, TotpRecord } from "./ports";
export {
  completePendingSignIn,
  loadPendingSignIn,
  startPendingSignIn,
  PENDING_COOKIE,
  PENDING_LIFETIME,
  type CompletedSignIn,
  type PendingSignIn,
} from "./pending";
export {
  CODE_AMR,
  proveSecondFactor,
  secondFactorSubject,
  SIGN_IN_EXPIRED,
  throttledAttempt,
  upgradeActiveSession,
  WRONG_CODE,
  type SecondFactorResult,
  type SecondFactorSubject,
} from "./step";
export { matchTotpStep, normalizeTotpCode, totpCodeAt, totpStep } from "./totp";
export { normalizeRecoveryCode, RECOVERY_CODE_COUNT } from "./recovery";
