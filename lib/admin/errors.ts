/**
 * The admin services' failures. They are told apart by `code`, not instanceof: a bundler may load
 * this module more than once (the fast server's bundle and Next's).
 */
import type { Problem } from "./config-transfer";

export class ValidationError extends Error {
  readonly code = "validation_failed";
  constructor(readonly problems: Problem[]) { super("validation failed"); }
}
export class NotFoundError extends Error {
  readonly code = "not_found";
}
/** No live credentials: no session, or a token whose user is gone or locked. */
export class UnauthenticatedError extends Error {
  readonly code = "unauthenticated";
}
/** Authenticated, but not allowed to administer. */
export class ForbiddenError extends Error {
  readonly code = "forbidden";
}

export function errorCodeOf(err: unknown): string | undefined {
  return err instanceof Error ? (err as { code?: string }).code : undefined;
}
