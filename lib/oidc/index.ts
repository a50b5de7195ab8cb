/** The protocol core's public surface: endpoints take a Web Request and return a Response. */
export { token } from "./endpoints/token";
export { pushedAuthorizationRequest } from "./endpoints/par";
export { deviceAuthorization } from "./endpoints/device-authorization";
export { decideDeviceRequest, lookUpUserCode, type DeviceDecision, type DeviceLookup, type DeviceRequestView } from "./device/verification";
export { registerClient, manageRegisteredClient } from "./endpoints/register";
export { introspect } from "./endpoints/introspect";
export { revoke } from "./endpoints/revoke";
export { discovery, jwks } from "./endpoints/metadata";
export { authorize, resumeAuthorize } from "./endpoints/authorize";
export { userinfo } from "./endpoints/userinfo";
export { endSession } from "./endpoints/end-session";
export { createProvider, type ProviderOptions } from "./provider";
export type { ProviderContext, SignInPolicy } from "./context";
export { Acr, ACR_VALUES_SUPPORTED, Amr, acrOf } from "./acr";
export * from "./ports";
export { Paths, BackchannelLogout } from "./constants";
export { createLogoutToken, LOGOUT_TOKEN_LIFETIME } from "./logout/token";
export { afterLogout } from "./logout/frontchannel";

// For the server, the portal and the stores: what they may use of the core.
export {
  CLIENT_ASSERTION_ALGS,
  ClientAuthMethod,
  ClientProfile,
  Cookies,
  GrantRecordType,
  GrantType,
  IMPLICIT,
  OFFLINE_ACCESS,
  TokenTypeUri,
  Pages,
  RESPONSE_TYPES,
  ResponseType,
  SIGNING_ALGS,
  STANDARD_IDENTITY_SCOPES,
  type AccessTokenFormatName,
  type ClientAuthMethodName,
  type ClientProfileName,
  type SigningAlg,
} from "./constants";
export { endBrowserSession, sessionCookieOptions, sessionFromHandle, startSession, TOUCH_INTERVAL, type ActiveSession } from "./session";
export { inspectAccessToken } from "./tokens/inspect";
export { SUBJECT_TYPES, SubjectType, subjectFor } from "./subject";
export { revokeFamily, revokeUserTokens } from "./tokens/family";
export {
  base64url,
  createSigner,
  fromBase64url,
  hashSecret,
  randomHandle,
  SecretBox,
  sha256,
  timingSafeEqual,
  type Sha256,
} from "./crypto";
export { readCookie, serializeCookie } from "./cookies";
export { type KeyManager } from "./keys";
export { addressKey, hitInOrder, nameKey, type RateLimiter } from "./rate-limit";
export {
  DEFAULT_ACCOUNT_SETTINGS,
  USER_EDITABLE_CLAIMS,
  type AccountSettings,
  type UserEditableClaim,
  DEFAULT_RATE_LIMITS,
  DEFAULT_RETENTION,
  DEFAULT_SIGN_IN_THROTTLE,
  MAX_TOKEN_LIFETIME,
  RATE_LIMIT_RULES,
  type ProviderSettings,
  type RateLimitRule,
  type RateLimitSettings,
  DEFAULT_REGISTRATION,
  type RegistrationSettings,
  type RetentionSettings,
  type SignInThrottleSettings,
} from "./config";
export { bearerTokenOf, readBytesLimited, REALM } from "./http";
export { isProtocolPath, protocolRoutes, publicDocuments, routeProtocol } from "./routes";
export { createMetadata } from "./discovery";
export { FAPI2_MAX_CODE_LIFETIME, FAPI2_SIGNING_ALGS } from "./profiles";
export { consoleLogger } from "./provider";
export { type Logger } from "./context";
export { loadInteraction, saveInteraction, type AccountInteraction } from "./interaction";
export { FAILURE_WINDOW_MS, type ClientAuthFailureLog } from "./client-auth/failures";
export { type KeyImporter } from "./jwt";
export { pageSecurityHeaders, protocolSecurityHeaders, withProtocolSecurityHeaders } from "./security-headers";
export { recordKey } from "./records";
export { errorPageUrl, readErrorPage, type ErrorPageView } from "./error-page";
export {
  completeLogout,
  consentView,
  decideConsent,
  loginView,
  logoutView,
  resumeUrl,
  type AuthorizeInteraction,
  type ClientView,
  type ScopeView,
} from "./interaction";
