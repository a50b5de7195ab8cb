/**
 * Every admin REST route in one wrapper: authentication (Bearer token with portcullis:admin, or
 * an admin's browser session plus the X-CSRF-Token header on changes), JSON parsing, and the
 * mapping of failures to stable JSON errors: { error: { code, message, fields? } }.
 */
import { cookies } from "next/headers";
import { adminFromBearer, adminFromSession, ADMIN_SCOPE } from "../admin/access";
import { errorCodeOf, ValidationError, type Actor } from "../admin/clients";
import { checkFormToken } from "../auth/interaction-views";
import { Cookies } from "../oidc/constants";
import { REALM } from "../oidc/http";
import { getRuntime, type Runtime } from "../runtime";

export const ADMIN_API_CSRF = "admin-api";

type Handler<P> = (ctx: { req: Request; rt: Runtime; actor: Actor; params: P; body: () => Promise<unknown> }) => Promise<unknown>;

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(body === undefined ? null : JSON.stringify(body), {
    status, headers: { ...(body === undefined ? {} : { "Content-Type": "application/json" }), "Cache-Control": "no-store", ...headers },
  });
const failure = (status: number, code: string, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  json(status, { error: { code, message, ...extra } }, headers);

export function adminApi<P = Record<string, string>>(handler: Handler<P>, success = 200) {
  return async (req: Request, context: { params: Promise<P> }): Promise<Response> => {
    const rt = await getRuntime();
    try {
      const actor = await authenticate(req, rt);
      if (actor instanceof Response) return actor;
      const body = async () => {
        const text = await req.text();
        if (!text.trim()) return {};
        try {
          return JSON.parse(text) as unknown;
        } catch {
          throw new ValidationError([{ path: "", message: "the body must be JSON" }]);
        }
      };
      const result = await handler({ req, rt, actor, params: await context.params, body });
      return json(result === undefined ? 204 : success, result);
    } catch (err) {
      const code = errorCodeOf(err);
      if (code === "validation_failed") return failure(400, "validation_failed", "the request has invalid fields", { fields: (err as ValidationError).problems });
      if (code === "not_found") return failure(404, "not_found", (err as Error).message);
      rt.provider.log.error("admin api failed", { detail: err instanceof Error ? err.stack : String(err) });
      return failure(500, "internal_error", "an unexpected error occurred");
    }
  };
}

async function authenticate(req: Request, rt: Runtime): Promise<Actor | Response> {
  const header = req.headers.get("authorization");
  if (header) {
    const m = /^bearer +(\S+)$/i.exec(header);
    const result = m ? await adminFromBearer(rt.provider, m[1]!) : ({ ok: false, reason: "invalid" } as const);
    if (result.ok) return result.actor;
    if (result.reason === "insufficient_scope") {
      return failure(403, "forbidden", `the access token lacks the ${ADMIN_SCOPE} scope`, {}, { "WWW-Authenticate": `Bearer realm="${REALM}", error="insufficient_scope", scope="${ADMIN_SCOPE}"` });
    }
    return failure(401, "unauthorized", "the access token is invalid or expired", {}, { "WWW-Authenticate": `Bearer realm="${REALM}", error="invalid_token"` });
  }
  const jar = await cookies();
  const { actor, signedIn } = await adminFromSession(rt.provider, jar.get(Cookies.session)?.value);
  if (!signedIn) return failure(401, "unauthorized", "authentication required", {}, { "WWW-Authenticate": `Bearer realm="${REALM}", scope="${ADMIN_SCOPE}"` });
  if (!actor) return failure(403, "forbidden", "the admin role is required");
  if (req.method !== "GET" && !(await checkFormToken(rt.provider, jar.get(Cookies.csrf)?.value, ADMIN_API_CSRF, req.headers.get("x-csrf-token") ?? ""))) {
    return failure(403, "csrf_failed", "the X-CSRF-Token header is missing or wrong");
  }
  return actor;
}

/** search, page and page_size from the query string. */
export function listQuery(req: Request): { search?: string; page: number; pageSize: number } {
  const q = new URL(req.url).searchParams;
  return { search: q.get("search") ?? undefined, page: Number(q.get("page") ?? 1) || 1, pageSize: Number(q.get("page_size") ?? 25) || 25 };
}
