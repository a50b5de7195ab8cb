/** Passkeys (WebAuthn): registration, passwordless sign-in, second factor, the user's own list. */
export { CHALLENGE_TTL, consumeChallenge, saveChallenge, type ChallengePurpose, type ConsumedChallenge } from "./challenges";
export { checkCounter, type CounterVerdict } from "./counter";
export { relyingParty, type RelyingParty } from "./rp";
export type { NewPasskey, PasskeyRecord, PasskeyStore } from "./ports";
export {
  DEFAULT_PASSKEY_NAME,
  defaultName,
  finishPasskeyRegistration,
  startPasskeyRegistration,
  type RegistrationResult,
  type RegistrationStart,
} from "./registration";
export {
  keyKind,
  PASSKEY_MESSAGES,
  signInWithPasskey,
  startPasskeyFactor,
  startPasskeySignIn,
  verifyPasskeyAssertion,
  verifyPasskeyFactor,
  type AssertionResult,
  type AuthenticationStart,
  type KeyKind,
  type PasskeyFailure,
  type PasskeySignInResult,
} from "./authentication";
export { myPasskeys, removeMyPasskey, renameMyPasskey, type PasskeyView } from "./manage";
