import { ErrorCode, type ErrorCodeName } from "./constants";

const BRAND = Symbol.for("portcullis.OAuthError");

export function isOAuthError(err: unknown): err is OAuthError {
  return typeof err === "object" && err !== null && (err as Record<symbol, unknown>)[BRAND] === true;
}

/**
 * An OAuth error response (RFC 6749 section 5.2). `description` goes to the client;
 * `detail` only to the log.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export class OAuthError extends Error {
  /** A brand rather than instanceof: a bundler may load this module more than once. */
  readonly [BRAND] = true;
  readonly error: ErrorCodeName;
  readonly status: number;
  readonly description: string;
  readonly detail?: string;

  constructor(error: ErrorCodeName, description: string, status = 400, detail?: string) {
    const safe = errorDescription(description);
    super(`${error}: ${safe}`);
    this.error = error;
    this.status = status;
    this.description = safe;
    this.detail = detail;
  }
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

export class InvalidRequest extends OAuthError {
  constructor(description: string, detail?: string) { super(ErrorCode.invalidRequest, description, 400, detail); }
}

/** Failed client authentication: always 401 with a WWW-Authenticate challenge. */
export class InvalidClient extends OAuthError {
  constructor(description = "client authentication failed", detail?: string) {
    super(ErrorCode.invalidClient, description, 401, detail);
  }
}

export class InvalidGrant extends OAuthError {
  constructor(description: string, detail?: string) { super(ErrorCode.invalidGrant, description, 400, detail); }
}

export class UnauthorizedClient extends OAuthError {
  constructor(description: string) { super(ErrorCode.unauthorizedClient, description, 400); }
}

export class UnsupportedGrantType extends OAuthError {
  constructor(description: string) { super(ErrorCode.unsupportedGrantType, description, 400); }
}

export class InvalidScope extends OAuthError {
  constructor(description: string) { super(ErrorCode.invalidScope, description, 400); }
}

/** @see https://www.rfc-editor.org/rfc/rfc8707#section-2 */
export class InvalidTarget extends OAuthError {
  constructor(description: string) { super(ErrorCode.invalidTarget, description, 400); }
}

/** @see https://www.rfc-editor.org/rfc/rfc7009#section-2.2.1 */
export class UnsupportedTokenType extends OAuthError {
  constructor(description: string) { super(ErrorCode.unsupportedTokenType, description, 400); }
}

export class AccessDenied extends OAuthError {
  constructor(description: string) { super(ErrorCode.accessDenied, description, 400); }
}

/** An error of the authorization endpoint's own vocabulary (OIDC Core 3.1.2.6, RFC 6749 4.1.2.1). */
export class AuthorizationError extends OAuthError {
  constructor(error: ErrorCodeName, description: string) { super(error, description, 400); }
}

/** RFC 6750 section 3.1: answered with a Bearer challenge. */
export class InvalidToken extends OAuthError {
  constructor(description: string) { super(ErrorCode.invalidToken, description, 401); }
}

export class ServerError extends OAuthError {
  constructor(detail?: string) { super(ErrorCode.serverError, "an unexpected error occurred", 500, detail); }
}

/** Turns anything thrown into an OAuthError; the unexpected becomes server_error. */
export function toOAuthError(err: unknown): OAuthError {
  if (isOAuthError(err)) return err;
  const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return new ServerError(detail);
}
