/**
 * Sign-in through external identity providers: the public face of lib/auth/external.
 *
 * What exists: providers stored in the database (IdentityProvider, secrets sealed), presets,
 * the handshake at {issuer}/interaction/external/{start,callback/:id,continue} (route:
 * app/(interaction)/interaction/external/[...auth]/route.ts), the decision service, a default
 * continue step that completes a sign-in on its own, and the login page's part (lib/next/
 * external-login.ts: buttons, home realm discovery, messages, the password form for linking).
 * The account page links another login with a plain POST form to `externalLinkUrl()` carrying
 * `provider` and a CSRF token for LINK_FORM_PURPOSE (account-link.ts has the rules); the
 * callback brings the browser back to /account with `notice=linked` or `link_error=<code>`.
 *
 * How the login flow plugs in (nothing below needs changes in lib/oidc):
 *
 * 1. Buttons. On the login page, for `await loginProviders()` render one link (or a GET form)
 *    per provider to `externalSignInUrl(p.id, interactionId)`, labelled `p.displayName`, with
 *    `p.icon` (github, google, microsoft, gitlab, or null). Home realm discovery: when the typed
 *    login is an email, `await providerForEmail(login)` names the provider to go to instead.
 *
 * 2. Coming back. The handshake ends at GET /interaction/external/continue?interaction=&result=,
 *    which today does the whole job (signed in: session + /connect/authorize/resume; otherwise
 *    the login page with `external_error=<code>` or `external_link=<handle>`).
 *    A restructured flow can take over by calling, from its own route handler or server action:
 *      const outcome = await consumeExternalResult({ result, interaction, flowCookie })
 *    with `flowCookie` the value of the cookie named FLOW_COOKIE, then acting on `outcome.kind`:
 *      - "signed_in": `await startExternalSession(outcome, { previousHandle, ipAddress, userAgent })`
 *        returns the session cookie value (set it like the password sign-in does), then resume;
 *      - "needs_password_proof": show a password form for the account with `outcome.email`
 *        (prefill the login with it; the local username is not disclosed), carrying
 *        `outcome.pendingLink`;
 *      - "refused": show `externalErrorMessage(outcome.code)`.
 *
 * 3. Linking with the password. When that form is posted, check the password with the normal
 *    password sign-in (`signInWithPassword`, so its throttling applies; it starts a session, and
 *    `sessionFromHandle(ctx, handle).user.id` is the proven user), then:
 *      await linkAfterPasswordProof({ pendingLink, provenUserId, interaction, flowCookie })
 *    "signed_in": the link is made; the password session stands, resume the request.
 *    "refused": show the message (wrong_account, bad_state, identity_taken, ...). The flow
 *    cookie is Path=/interaction, so the login page's action receives it.
 *
 * 4. Messages. `externalErrorMessage(searchParams.external_error)` is the sentence to show.
 *
 * Not wired in tokens yet: an `idp` claim needs the session to remember the provider (a Session
 * column) and lib/oidc/tokens to emit it; `amr` already passes on: sessions started here carry
 * the upstream's amr (or "fed").
 */
import { EXTERNAL_BASE_PATH } from "./settings";
import type { ExternalOutcome } from "./sign-in";
import { getExternalSignIn } from "./wiring";

export { EXTERNAL_ERRORS, externalErrorMessage, type ExternalErrorCode } from "./errors";
export { FLOW_COOKIE, FLOW_COOKIE_PATH } from "./flow";
export { callbackUrl, EXTERNAL_BASE_PATH } from "./settings";
export { LINK_FORM_PURPOSE } from "./account-link";
export type { ExternalOutcome } from "./sign-in";

/** Where a login page button sends the browser (GET, relative to the issuer). */
export function externalSignInUrl(providerId: string, interactionId: string): string {
  return `${EXTERNAL_BASE_PATH}/start?${new URLSearchParams({ provider: providerId, interaction: interactionId })}`;
}

/** Where the account page's "Link" form posts (relative to the issuer). */
export function externalLinkUrl(): string {
  return `${EXTERNAL_BASE_PATH}/link`;
}

export interface LoginProvider {
  id: string;
  displayName: string;
  icon: string | null;
}

/** The enabled providers, for the login page's buttons. */
export async function loginProviders(): Promise<LoginProvider[]> {
  const entries = await (await getExternalSignIn()).directory.list();
  return entries.filter((e) => e.provider.enabled).map(({ provider: p }) => ({ id: p.id, displayName: p.displayName, icon: p.icon }));
}

/** Home realm discovery: the enabled provider claiming the email's domain, if any. */
export async function providerForEmail(email: string): Promise<LoginProvider | null> {
  const domain = email.trim().toLowerCase().split("@")[1];
  if (!domain) return null;
  const entries = await (await getExternalSignIn()).directory.list();
  const hit = entries.find((e) => e.provider.enabled && e.provider.emailDomains.includes(domain));
  return hit ? { id: hit.provider.id, displayName: hit.provider.displayName, icon: hit.provider.icon } : null;
}

/** Whether any enabled provider claims email domains (the login form then lets the password wait). */
export async function hasHomeRealms(): Promise<boolean> {
  const entries = await (await getExternalSignIn()).directory.list();
  return entries.some((e) => e.provider.enabled && e.provider.emailDomains.length > 0);
}

/** The email of the link waiting for a password proof in this browser (to prefill the form), or null. */
export async function pendingLinkEmail(input: {
  pendingLink: string;
  interaction: string;
  flowCookie: string | undefined;
}): Promise<string | null> {
  return (await getExternalSignIn()).pendingLinkEmail(input);
}

/** Takes the handshake's result (once) and decides who signs in. */
export async function consumeExternalResult(input: {
  result: string;
  interaction: string;
  flowCookie: string | undefined;
}): Promise<ExternalOutcome> {
  return (await getExternalSignIn()).consume(input);
}

/** Links the waiting upstream identity to the user whose password was just proven. */
export async function linkAfterPasswordProof(input: {
  pendingLink: string;
  provenUserId: string;
  interaction: string;
  flowCookie: string | undefined;
}): Promise<ExternalOutcome> {
  return (await getExternalSignIn()).linkAfterPasswordProof(input);
}

/** Starts the session of a signed-in outcome; returns the session cookie's value. */
export async function startExternalSession(
  outcome: Extract<ExternalOutcome, { kind: "signed_in" }>,
  meta: { previousHandle?: string; ipAddress?: string; userAgent?: string },
): Promise<string> {
  return (await getExternalSignIn()).startSession(outcome, meta);
}

/** The route handler's body: every GET and POST below /interaction/external. */
export async function handleExternalRoute(req: Request): Promise<Response> {
  const res = await (await getExternalSignIn()).handle(req);
  return (
    res ?? new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } })
  );
}
