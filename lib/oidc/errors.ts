/**
 * OAuth errors (RFC 6749 5.2 and 4.1.2.1, RFC 6750 3.1, RFC 7009, RFC 8707, OpenID Connect Core
 * 3.1.2.6): one class, one factory per error code (`oauthError.invalidGrant("...")`).
 *
 * Rules:
 * - `description` goes to the client, `detail` only to the log;
 * - the status is the code's (STATUS), e.g. 401 invalid_client and invalid_token, 403
 *   insufficient_scope; a rate limit answers 429 with Retry-After (`retryAfter`);
 * - anything unexpected becomes server_error, never a stack trace (`toOAuthError`).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
import { ErrorCode, type ErrorCodeName } from "./constants";

const BRAND = Symbol.for("portcullis.OAuthError");

/** The HTTP status each code is answered with when the endpoint answers directly (not by redirect). */
const STATUS: Partial<Record<ErrorCodeName, number>> = {
  [ErrorCode.invalidClient]: 401,
  [ErrorCode.invalidToken]: 401,
  [ErrorCode.insufficientScope]: 403,
  [ErrorCode.serverError]: 500,
  [ErrorCode.temporarilyUnavailable]: 503,
};

export function isOAuthError(err: unknown): err is OAuthError {
  return typeof err === "object" && err !== null && (err as Record<symbol, unknown>)[BRAND] === true;
}

/**
 * error_description may hold only %x20-21 / %x23-5B / %x5D-7E (RFC 6749 section 5.2): anything
 * else, including a CR/LF echoed from a parameter name, becomes "?" so the text is also safe in a
 * WWW-Authenticate header. Capped so an echoed value cannot make the response large.
 */
export function errorDescription(text: string): string {
  const safe = text.replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, "?");
  return safe.length > 300 ? safe.slice(0, 297) + "..." : safe;
}

export class OAuthError extends Error {
  /** A brand rather than instanceof: a bundler may load this module more than once. */
  readonly [BRAND] = true;
  readonly error: ErrorCodeName;
  readonly status: number;
  readonly description: string;
  readonly detail?: string;
  /** seconds; set on a rate-limit answer (Retry-After) */
  readonly retryAfter?: number;
  /** response headers the error needs (a fresh DPoP-Nonce with use_dpop_nonce) */
  readonly headers?: Record<string, string>;

  constructor(
    error: ErrorCodeName,
    description: string,
    options: { status?: number; detail?: string; retryAfter?: number; headers?: Record<string, string> } = {},
  ) {
    const safe = errorDescription(description);
    super(`${error}: ${safe}`);
    this.error = error;
    this.status = options.status ?? STATUS[error] ?? 400;
    this.description = safe;
    this.detail = options.detail;
    this.retryAfter = options.retryAfter;
    this.headers = options.headers;
  }
}

type Factory = (description: string, detail?: string) => OAuthError;

/** One factory per error code of constants.ts, with that code's status. */
export const oauthError = Object.fromEntries(
  Object.entries(ErrorCode).map(([name, code]) => [
    name,
    ((description, detail) => new OAuthError(code, description, { detail })) satisfies Factory,
  ]),
) as { readonly [K in keyof typeof ErrorCode]: Factory };

/** Over a rate limit: 429 temporarily_unavailable with Retry-After. */
export function rateLimited(retryAfter: number): OAuthError {
  return new OAuthError(ErrorCode.temporarilyUnavailable, `too many requests, retry after ${retryAfter} seconds`, {
    status: 429,
    retryAfter,
  });
}

/** Turns anything thrown into an OAuthError; the unexpected becomes server_error. */
export function toOAuthError(err: unknown): OAuthError {
  if (isOAuthError(err)) return err;
  const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return oauthError.serverError("an unexpected error occurred", detail);
}
