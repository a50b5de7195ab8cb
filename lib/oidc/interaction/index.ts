/**
 * The browser interaction: one home, a small surface.
 * - start / resume: startInteraction, resumeInteraction (flow.ts; its STEPS list is where a new
 *   step goes);
 * - pages: loginView, consentView, decideConsent, logoutView, completeLogout, resumeUrl (views.ts);
 * - ending the browser's session: endBrowserSession (session.ts), used by end-session, the logout
 *   page and the account page alike.
 */
export { authorizeErrorResponse, resumeInteraction, startInteraction } from "./flow";
export { completeLogout, consentView, decideConsent, loginView, logoutView, resumeUrl, type ClientView } from "./views";
export {
  loadAuthorizeInteraction,
  loadInteraction,
  saveInteraction,
  type AccountInteraction,
  type AuthorizeInteraction,
  type Interaction,
  type LogoutInteraction,
} from "./store";
export type { ScopeView } from "./consent";
