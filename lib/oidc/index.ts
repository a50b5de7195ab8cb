/** The protocol core's public surface: endpoints take a Web Request and return a Response. */
export { token } from "./endpoints/token";
export { introspect } from "./endpoints/introspect";
export { revoke } from "./endpoints/revoke";
export { discovery, jwks } from "./endpoints/metadata";
export { authorize, resumeAuthorize } from "./endpoints/authorize";
export { userinfo } from "./endpoints/userinfo";
export { endSession } from "./endpoints/end-session";
export { createProvider, type ProviderOptions } from "./provider";
export type { ProviderContext } from "./context";
export * from "./ports";
export { Paths } from "./constants";
export { errorPageUrl, readErrorPage, type ErrorPageView } from "./error-page";
export {
  completeLogout, consentView, decideConsent, loginView, logoutView, resumeUrl,
  type AuthorizeInteraction, type ClientView, type ScopeView,
} from "./interaction";
