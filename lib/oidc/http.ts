import { DPOP_SIGNING_ALGS, TokenType } from "./constants";
import { oauthError, type OAuthError } from "./errors";

/** Headers every protocol response carries (RFC 6749 section 5.1). */
const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" } as const;

export const REALM = "portcullis";

/** RFC 9449 7.1: the DPoP challenge names the proof algorithms accepted. */
export const DPOP_CHALLENGE = `${TokenType.dpop} algs="${DPOP_SIGNING_ALGS.join(" ")}"`;

/** A JSON response that caches must not keep. */
export function jsonNoStore(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json;charset=UTF-8", ...NO_STORE, ...headers },
  });
}

/**
 * How an endpoint's errors challenge: Basic on a 401 (client authentication), Bearer or DPoP on
 * every error (a protected resource), or Bearer on a 401 only (registration: RFC 7591 3 and RFC 7592 2
 * use bearer tokens, but a metadata error is no token error).
 */
export type ChallengeScheme = "Basic" | typeof TokenType.bearer | typeof TokenType.dpop | "Bearer on 401";

/**
 * The error body of RFC 6749 section 5.2. The challenge follows the endpoint's scheme: the
 * authorization server's endpoints send `Basic` with a 401 (failed client authentication); a
 * protected resource (userinfo) sends `Bearer` with every error (RFC 6750 section 3.1), or `DPoP`
 * with its algs to a request that used the DPoP scheme (RFC 9449 7.1).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7.1
 */
export function errorResponse(err: OAuthError, scheme: ChallengeScheme = "Basic"): Response {
  const headers: Record<string, string> = { ...err.headers };
  const error = `error="${err.error}", error_description="${err.description.replace(/["\\]/g, "")}"`;
  if (scheme === TokenType.bearer || (scheme === "Bearer on 401" && err.status === 401))
    headers["WWW-Authenticate"] = `Bearer realm="${REALM}", ${error}`;
  else if (scheme === TokenType.dpop) headers["WWW-Authenticate"] = `${DPOP_CHALLENGE}, ${error}`;
  else if (err.status === 401) headers["WWW-Authenticate"] = `Basic realm="${REALM}"`;
  if (err.retryAfter !== undefined) headers["Retry-After"] = String(err.retryAfter);
  return jsonNoStore({ error: err.error, error_description: err.description }, err.status, headers);
}

export const MAX_BODY_BYTES = 64 * 1024;
const DEFAULT_MAX_PARAM_LENGTH = 4096;
const MAX_PARAM_LENGTH: Record<string, number> = {
  client_assertion: 16 * 1024,
  request: 16 * 1024,
  token: 16 * 1024,
  subject_token: 16 * 1024,
  actor_token: 16 * 1024,
  scope: 2048,
  resource: 2048,
  audience: 2048,
};

/**
 * Reads an application/x-www-form-urlencoded body. Rejects other content types, bodies over
 * 64 KiB, repeated parameters (RFC 6749 section 3.2) except those a spec lets repeat, and
 * values longer than a parameter's limit.
 */
export async function readForm(req: Request, repeatable: readonly string[] = []): Promise<Map<string, string[]>> {
  if (req.method !== "POST") throw oauthError.invalidRequest("only POST requests are supported");
  return parseParams(await readBody(req), repeatable);
}

/** GET query or POST form parameters (authorization and end-session endpoints). */
export async function readQueryOrForm(req: Request, repeatable: readonly string[] = []): Promise<Map<string, string[]>> {
  if (req.method === "GET" || req.method === "HEAD") {
    const url = req.url;
    const q = url.indexOf("?");
    return parseParams(q < 0 ? "" : url.slice(q + 1), repeatable);
  }
  return readForm(req, repeatable);
}

async function readBody(req: Request): Promise<string> {
  const type = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") {
    throw oauthError.invalidRequest("only application/x-www-form-urlencoded content-type bodies are supported");
  }
  const length = req.headers.get("content-length");
  if (length !== null && /^\d+$/.test(length)) {
    if (Number(length) > MAX_BODY_BYTES) throw oauthError.invalidRequest("request body is too large");
    // A declared length bounds what text() reads; bridges serve text() without a stream.
    return req.text();
  }
  return readLimited(req, MAX_BODY_BYTES);
}

function parseParams(text: string, repeatable: readonly string[]): Map<string, string[]> {
  let params: URLSearchParams;
  try {
    // URLSearchParams replaces malformed percent-escapes instead of throwing; check them first.
    decodeURIComponent(text.replace(/\+/g, " "));
    params = new URLSearchParams(text);
  } catch {
    throw oauthError.invalidRequest("request body is not valid form encoding");
  }
  const form = new Map<string, string[]>();
  for (const [name, value] of params) {
    // Parameter names are ASCII words in every OAuth spec; a control character is never one.
    if (name.length > 100 || /[^\x21-\x7E]/.test(name)) throw oauthError.invalidRequest("request has a malformed parameter name");
    const values = form.get(name);
    if (values && !repeatable.includes(name)) throw oauthError.invalidRequest(`${quoted(name)} parameter must not be provided twice`);
    const limit = MAX_PARAM_LENGTH[name] ?? DEFAULT_MAX_PARAM_LENGTH;
    if (value.length > limit) throw oauthError.invalidRequest(`${quoted(name)} parameter is too long`);
    if (values) values.push(value);
    else form.set(name, [value]);
  }
  return form;
}

/**
 * The parameters the endpoints read. Only these are named back in an error description: another
 * name is the sender's own text, and a description can end up on the error page.
 */
const KNOWN_PARAMETERS = new Set([
  "access_token",
  "actor_token",
  "actor_token_type",
  "audience",
  "client_assertion",
  "client_assertion_type",
  "client_id",
  "client_secret",
  "code",
  "code_challenge",
  "code_challenge_method",
  "code_verifier",
  "dpop_jkt",
  "grant_type",
  "id_token_hint",
  "login_hint",
  "max_age",
  "nonce",
  "post_logout_redirect_uri",
  "prompt",
  "redirect_uri",
  "refresh_token",
  "request",
  "request_uri",
  "requested_token_type",
  "resource",
  "response_mode",
  "response_type",
  "scope",
  "state",
  "subject_token",
  "subject_token_type",
  "token",
  "token_type_hint",
]);
const quoted = (name: string) => (KNOWN_PARAMETERS.has(name) ? `'${name}'` : "a");

/**
 * Reads a body stream up to `limit` bytes, counting as it goes (a declared length can lie); past
 * it the stream is cancelled and `tooLarge()` thrown. Shared by the protocol endpoints, the admin
 * API and the upstream-provider client.
 */
export async function readBytesLimited(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
  tooLarge: () => Error,
): Promise<Uint8Array<ArrayBuffer>> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

async function readLimited(req: Request, limit: number): Promise<string> {
  const bytes = await readBytesLimited(req.body, limit, () => oauthError.invalidRequest("request body is too large"));
  return new TextDecoder("utf-8", { fatal: false }).decode(bytes);
}

/** The single value of a parameter; empty values count as absent (RFC 6749 section 3.1). */
export function param(form: Map<string, string[]>, name: string): string | undefined {
  const v = form.get(name)?.[0];
  return v === undefined || v === "" ? undefined : v;
}

export function requireParam(form: Map<string, string[]>, name: string): string {
  const v = param(form, name);
  if (v === undefined) throw oauthError.invalidRequest(`missing required parameter '${name}'`);
  return v;
}

/** Space-delimited list (scope) with duplicates removed, order kept. */
export function splitSpaced(value: string | undefined): string[] {
  if (!value) return [];
  return [...new Set(value.split(" ").filter(Boolean))];
}

/**
 * The token of an `Authorization: Bearer <b64token>` header (RFC 6750 section 2.1); null when the
 * header is not of that form. Used by userinfo and the admin API alike.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export function bearerTokenOf(header: string): string | null {
  return /^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header)?.[1] ?? null;
}

/**
 * The token of an `Authorization: DPoP <b64token>` header (RFC 9449 7.1); null otherwise.
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7.1
 */
export function dpopTokenOf(header: string): string | null {
  return /^dpop +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header)?.[1] ?? null;
}
