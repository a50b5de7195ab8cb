/**
 * Every admin REST route in one wrapper: authentication, the body, and the mapping of failures to
 * stable JSON errors: { error: { code, message, fields? } }.
 *
 * Rules:
 * - credentials: a Bearer access token (see lib/admin/access.ts for which ones count), or an
 *   admin's browser session plus the X-CSRF-Token header on changes; the principal is authorized
 *   here and again by every service it is passed to;
 * - a body is JSON only (415 for another Content-Type), at most PORTCULLIS_ADMIN_MAX_BODY bytes
 *   (413: Content-Length is checked first, then the bytes are counted as they arrive, so nothing
 *   unbounded is buffered), nested at most MAX_JSON_DEPTH deep (400, checked on the text before
 *   it is parsed, so nothing deep reaches a service or the database);
 * - list queries: page from 1 to MAX_PAGE, page_size from 1 to MAX_PAGE_SIZE (400 otherwise);
 * - a failure is an admin error answered with its code's status (lib/admin/errors.ts); 401 also
 *   says, in WWW-Authenticate, how to authenticate; anything else is a logged 500.
 */
import { cookies } from "next/headers";
import { ADMIN_SCOPE, type Principal } from "../admin/access";
import {
  ADMIN_ERROR_STATUS,
  adminErrorOf,
  apiErrorCode,
  csrfFailed,
  invalid,
  payloadTooLarge,
  unsupportedMediaType,
  type AdminError,
} from "../admin/errors";
import { MAX_PAGE, MAX_PAGE_SIZE } from "../admin/paging";
import { checkFormToken } from "../auth/csrf";
import { Cookies } from "../oidc";
import { bearerTokenOf, readBytesLimited, REALM } from "../oidc";
import { getRuntime, type Runtime } from "../runtime";

export const ADMIN_API_CSRF = "admin-api";
/** How deep a request body's objects and arrays may nest. */
export const MAX_JSON_DEPTH = 32;

type Handler<P> = (ctx: { req: Request; rt: Runtime; principal: Principal; params: P; body: () => Promise<unknown> }) => Promise<unknown>;

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { ...(body === undefined ? {} : { "Content-Type": "application/json" }), "Cache-Control": "no-store", ...headers },
  });
const failure = (
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) => json(status, { error: { code, message, ...extra } }, headers);

const unauthorized = (message: string, challenge: string) =>
  failure(
    ADMIN_ERROR_STATUS.unauthenticated,
    apiErrorCode("unauthenticated"),
    message,
    {},
    { "WWW-Authenticate": `Bearer realm="${REALM}", ${challenge}` },
  );
const invalidToken = () => unauthorized("the access token is invalid or expired", 'error="invalid_token"');
const noCredentials = () => unauthorized("authentication required", `scope="${ADMIN_SCOPE}"`);

/** The answer to an admin error: its code's status, its message and failing fields. */
export function errorResponse(err: AdminError, bearer: boolean): Response {
  // The services decide again; a user locked or stripped of the role since is refused here.
  if (err.code === "unauthenticated") return bearer ? invalidToken() : noCredentials();
  return failure(ADMIN_ERROR_STATUS[err.code], err.code, err.message, err.code === "validation_failed" ? { fields: err.problems } : {});
}

export function adminApi<P = Record<string, string>>(handler: Handler<P>, success = 200) {
  return async (req: Request, context: { params: Promise<P> }): Promise<Response> => {
    const rt = await getRuntime();
    let bearer = false;
    try {
      bearer = req.headers.has("authorization");
      const principal = await authenticate(req, rt);
      if (principal instanceof Response) return principal;
      const parsed = await readBody(req, rt.env.PORTCULLIS_ADMIN_MAX_BODY);
      const result = await handler({ req, rt, principal, params: await context.params, body: async () => parsed });
      return json(result === undefined ? 204 : success, result);
    } catch (err) {
      const known = adminErrorOf(err);
      if (known) return errorResponse(known, bearer);
      rt.provider.log.error("admin api failed", { detail: err instanceof Error ? err.stack : String(err) });
      return failure(500, "internal_error", "an unexpected error occurred");
    }
  };
}

async function authenticate(req: Request, rt: Runtime): Promise<Principal | Response> {
  const { access } = rt.admin;
  const header = req.headers.get("authorization");
  if (header) {
    const token = bearerTokenOf(header);
    const result = token ? await access.fromBearer(token) : ({ ok: false, reason: "invalid_token" } as const);
    if (!result.ok && result.reason === "insufficient_scope") {
      return failure(
        ADMIN_ERROR_STATUS.forbidden,
        "forbidden",
        `the access token lacks the ${ADMIN_SCOPE} scope`,
        {},
        { "WWW-Authenticate": `Bearer realm="${REALM}", error="insufficient_scope", scope="${ADMIN_SCOPE}"` },
      );
    }
    if (!result.ok) return invalidToken();
    await access.authorize(result.principal);
    return result.principal;
  }
  const jar = await cookies();
  const principal = await access.fromSession(jar.get(Cookies.session)?.value);
  if (!principal) return noCredentials();
  await access.authorize(principal);
  if (
    req.method !== "GET" &&
    !(await checkFormToken(rt.provider, jar.get(Cookies.csrf)?.value, ADMIN_API_CSRF, req.headers.get("x-csrf-token") ?? ""))
  ) {
    throw csrfFailed("the X-CSRF-Token header is missing or wrong");
  }
  return principal;
}

/** The request's JSON body ({} when there is none), within the limits above. */
async function readBody(req: Request, max: number): Promise<unknown> {
  const length = req.headers.get("content-length");
  const hasBody = req.body !== null && (req.headers.has("transfer-encoding") || (length !== null && length.trim() !== "0"));
  if (!hasBody) return {};
  const type = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") throw unsupportedMediaType("the body must be application/json");
  const tooLarge = () => payloadTooLarge(`the body must be at most ${max} bytes`);
  if (length !== null && !(/^\d+$/.test(length.trim()) && Number(length) <= max)) throw tooLarge();
  const text = await readText(req.body!, max, tooLarge);
  if (!text.trim()) return {};
  if (jsonDepth(text) > MAX_JSON_DEPTH)
    throw invalid([{ path: "", message: `the body must not nest deeper than ${MAX_JSON_DEPTH} levels` }]);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalid([{ path: "", message: "the body must be JSON" }]);
  }
}

async function readText(body: ReadableStream<Uint8Array>, max: number, tooLarge: () => Error): Promise<string> {
  const bytes = await readBytesLimited(body, max, tooLarge);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw invalid([{ path: "", message: "the body must be JSON (UTF-8)" }]);
  }
}

/** The deepest nesting of objects and arrays in a JSON text, counted without parsing it. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/** search, page and page_size from the query string; a page past the end has no items. */
export function listQuery(req: Request): { search?: string; page: number; pageSize: number } {
  const q = new URL(req.url).searchParams;
  const problems: { path: string; message: string }[] = [];
  const whole = (name: string, fallback: number, max: number) => {
    const v = q.get(name);
    if (v === null) return fallback;
    if (/^\d{1,7}$/.test(v) && Number(v) >= 1 && Number(v) <= max) return Number(v);
    problems.push({ path: name, message: `must be a whole number from 1 to ${max}` });
    return fallback;
  };
  const page = whole("page", 1, MAX_PAGE);
  const pageSize = whole("page_size", 25, MAX_PAGE_SIZE);
  if (problems.length) throw invalid(problems);
  return { search: q.get("search")?.slice(0, 100) || undefined, page, pageSize };
}
