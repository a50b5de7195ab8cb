/**
 * Why an external sign-in did not complete, as a short code the login page turns into a
 * sentence. Codes travel in the URL (`external_error=`), never free text; the detail goes only to
 * the log and the audit trail.
 */
import { UpstreamResponseTooLarge, UpstreamUnavailable } from "./fetch";
import { IdentityRejected } from "./identity";

export const EXTERNAL_ERRORS = {
  cancelled: "The sign-in at the identity provider was cancelled.",
  upstream_error: "The identity provider refused the sign-in. Try again, or sign in another way.",
  upstream_unavailable: "The identity provider could not be reached. Try again in a moment.",
  bad_state: "This sign-in could not be matched to this browser, or it has expired. Start again.",
  token_rejected: "The identity provider's answer failed our security checks. Start again.",
  provider_unavailable: "This sign-in option is not available.",
  request_expired: "This sign-in request has expired. Go back to the application and start again.",
  no_account: "There is no account for you here yet. Ask an administrator to create one.",
  account_locked: "This account is locked. Contact your administrator.",
  email_in_use: "An account with your email address already exists. Sign in with its password.",
  identity_taken: "This account at the identity provider is already linked to another user.",
  wrong_account: "The password you gave belongs to another account than the one to link.",
  provider_linked: "Your account already has a login at this identity provider: unlink it first to link another one.",
  already_linked: "This login at the identity provider is already linked to your account.",
  session_changed: "Linking must finish in the session that started it. Sign in and start again.",
  not_fresh: "The identity provider did not ask you to sign in again. Sign in there again, or confirm with your password.",
  too_many_requests: "Too many sign-in attempts. Wait a few minutes, then try again.",
  server_error: "Something went wrong on our side. Try again.",
} as const;
export type ExternalErrorCode = keyof typeof EXTERNAL_ERRORS;

export function isExternalErrorCode(code: string | undefined): code is ExternalErrorCode {
  return code !== undefined && Object.hasOwn(EXTERNAL_ERRORS, code);
}

/** The sentence for a code from the URL; undefined for anything else. */
export function externalErrorMessage(code: string | undefined): string | undefined {
  return isExternalErrorCode(code) ? EXTERNAL_ERRORS[code] : undefined;
}

/** A refusal decided by Portcullis itself during the handshake. */
export class ExternalSignInError extends Error {
  override readonly name = "ExternalSignInError";
  constructor(
    readonly code: ExternalErrorCode,
    detail: string,
  ) {
    super(detail);
  }
}

/** Every error in the chain: Auth.js keeps the original under cause.err, others under cause. */
function chain(err: unknown): unknown[] {
  const out: unknown[] = [];
  let current: unknown = err;
  while (current && out.length < 8 && !out.includes(current)) {
    out.push(current);
    const cause = (current as { cause?: unknown }).cause;
    current = cause && typeof cause === "object" && "err" in cause ? (cause as { err: unknown }).err : cause;
  }
  return out;
}

/**
 * Maps anything the handshake threw to a code and a one-line detail for the log. `upstream` is
 * the error the callback's query carried: Auth.js reports it only after the state matched, but
 * does not keep its code on the error it throws.
 */
export function classifyHandshakeError(
  err: unknown,
  upstream: { error?: string | null; description?: string | null } = {},
): { code: ExternalErrorCode; detail: string } {
  const all = chain(err);
  const errors = all.filter((e): e is Error => e instanceof Error);
  const messages = errors.map((e) => e.message.replace(/(\. )?Read more at https:\/\/errors\.authjs\.dev\S*/, "")).filter(Boolean);
  if (upstream.error) messages.push(`${upstream.error}${upstream.description ? ` (${upstream.description})` : ""}`);
  const detail = messages.join(": ").slice(0, 500);
  const own = all.find((e): e is ExternalSignInError => e instanceof ExternalSignInError);
  if (own) return { code: own.code, detail };
  if (all.some((e) => e instanceof UpstreamUnavailable || e instanceof UpstreamResponseTooLarge))
    return { code: "upstream_unavailable", detail };
  if (all.some((e) => e instanceof IdentityRejected)) return { code: "token_rejected", detail };
  // Auth.js errors by their `type` (duck-typed: a bundler may load @auth/core twice).
  const auth = all.find(
    (e): e is { type: string; cause?: unknown } => e instanceof Error && typeof (e as { type?: unknown }).type === "string" && "kind" in e,
  );
  if (auth?.type === "OAuthCallbackError") return { code: upstream.error === "access_denied" ? "cancelled" : "upstream_error", detail };
  if (auth?.type === "InvalidCheck") return { code: "bad_state", detail };
  // oauth4webapi's errors by their `code` (class names do not survive a minifying bundler).
  const oauth = errors.map((e) => (e as { code?: unknown }).code).find((c): c is string => typeof c === "string" && c.startsWith("OAUTH_"));
  if (
    oauth === "OAUTH_RESPONSE_BODY_ERROR" ||
    oauth === "OAUTH_AUTHORIZATION_RESPONSE_ERROR" ||
    oauth === "OAUTH_WWW_AUTHENTICATE_CHALLENGE"
  )
    return { code: "upstream_error", detail };
  if (oauth === "OAUTH_INVALID_RESPONSE" && errors.some((e) => /"(state|iss)"/.test(e.message))) return { code: "bad_state", detail };
  if (oauth) return { code: "token_rejected", detail };
  return { code: "server_error", detail };
}
