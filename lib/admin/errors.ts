/**
 * The admin layer's failures: one class, one code each, and one table from code to HTTP status.
 *
 * Rules:
 * - services, the import, the stores behind them and the two front doors throw only these
 *   (made by the factories below); anything else is unexpected (500, logged);
 * - the REST API answers a code with its status from ADMIN_ERROR_STATUS (lib/next/admin-api.ts);
 *   the console's server actions show their own words for the same codes, beside the form's
 *   fields (lib/next/admin-action.ts);
 * - errors are told apart by `code`, not instanceof: a bundler may load this module more than
 *   once (the fast server's bundle and Next's).
 */
import type { z } from "zod";

/** One failing field: its path in the request body ("redirect_uris[0]") and what is wrong. */
export interface Problem {
  path: string;
  message: string;
}

export const ADMIN_ERROR_STATUS = {
  /** fields that fail the schema or the references (unknown scope, name taken) */
  validation_failed: 400,
  /** no live credentials: no session, or a token whose user is gone or locked */
  unauthenticated: 401,
  /** authenticated, but not allowed to administer */
  forbidden: 403,
  /** a change from a browser without its form's or header's CSRF token */
  csrf_failed: 403,
  not_found: 404,
  payload_too_large: 413,
  unsupported_media_type: 415,
} as const;

export type AdminErrorCode = keyof typeof ADMIN_ERROR_STATUS;

/** The code the REST API sends: the same, but for 401, which it has always called `unauthorized`. */
export const apiErrorCode = (code: AdminErrorCode) => (code === "unauthenticated" ? "unauthorized" : code);
/** Every code the REST API may send; `internal_error` is anything unexpected (500, logged). */
export const API_ERROR_CODES = [...(Object.keys(ADMIN_ERROR_STATUS) as AdminErrorCode[]).map(apiErrorCode), "internal_error"];

export class AdminError extends Error {
  constructor(
    readonly code: AdminErrorCode,
    message: string,
    readonly problems: Problem[] = [],
  ) {
    super(message);
  }
}

export const invalid = (problems: Problem[]) => new AdminError("validation_failed", "the request has invalid fields", problems);
/** `what` names the entry: "client app", "API resource https://api.example". */
export const notFound = (what: string) => new AdminError("not_found", `${what} not found`);
export const unauthenticated = (message: string) => new AdminError("unauthenticated", message);
export const forbidden = (message: string) => new AdminError("forbidden", message);
export const csrfFailed = (message: string) => new AdminError("csrf_failed", message);
export const payloadTooLarge = (message: string) => new AdminError("payload_too_large", message);
export const unsupportedMediaType = (message: string) => new AdminError("unsupported_media_type", message);

/** The admin error `err` is, or undefined for anything else (a bug, a database failure). */
export function adminErrorOf(err: unknown): AdminError | undefined {
  const code = err instanceof Error ? (err as { code?: unknown }).code : undefined;
  return typeof code === "string" && Object.hasOwn(ADMIN_ERROR_STATUS, code) ? (err as AdminError) : undefined;
}

export function errorCodeOf(err: unknown): AdminErrorCode | undefined {
  return adminErrorOf(err)?.code;
}

/** ["redirect_uris", 0] -> "redirect_uris[0]" */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, p) => (typeof p === "number" ? `${out}[${p}]` : out ? `${out}.${String(p)}` : String(p)), "");
}

export function problemsOf(error: z.ZodError): Problem[] {
  return error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
}
