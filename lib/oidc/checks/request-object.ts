/**
 * JWT-secured authorization requests (RFC 9101, OpenID Connect Core 6.1): the `request` parameter.
 *
 * Rules:
 * - client_id is required beside it and names an enabled client with registered keys (jwks);
 * - the object is a JWS signed by one of those keys with an asymmetric algorithm, the client's
 *   request_object_signing_alg when it registered one; `none`, MACs and encrypted objects are
 *   refused (FAPI 2.0 clients: PS256, ES256, EdDSA, profiles.ts); typ, when present, is oauth-authz-req+jwt or JWT;
 * - iss is the client_id, aud names this issuer, exp is present, unexpired and at most an hour
 *   away, nbf (when present) has passed; a client_id claim must equal the parameter;
 * - only the object's parameters count (RFC 9101 5): the others are ignored; `request` and
 *   `request_uri` inside it are refused; numbers become their decimal text and objects (claims)
 *   JSON;
 * - a client with require_signed_request_object (RFC 9101 10.5) sends every request this way;
 * - every failure is invalid_request_object on the error page: the redirect_uri is not trusted yet.
 */
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from "jose";
import { ErrorCode } from "../constants";
import { requestObjectAlgsFor } from "../profiles";
import type { ProviderContext } from "../context";
import { param } from "../http";
import type { ClientRecord } from "../ports";
import { PageError } from "./authorize-request";

export const REQUEST_OBJECT_TYPE = "oauth-authz-req+jwt";
const MAX_LIFETIME_SECONDS = 3600;

const invalid = (why: string) => new PageError(ErrorCode.invalidRequestObject, why);

/** The form a request names: its request object's parameters, or the form itself without one. */
export async function requestObjectForm(ctx: ProviderContext, form: Map<string, string[]>): Promise<Map<string, string[]>> {
  const jwt = param(form, "request");
  const clientId = param(form, "client_id");
  if (jwt === undefined) {
    const client = clientId ? await ctx.config.client(clientId) : null;
    if (client?.requireSignedRequestObject) throw invalid("this client must send its authorization requests as signed request objects");
    return form;
  }
  if (!clientId) throw new PageError(ErrorCode.invalidRequest, "missing required parameter 'client_id'");
  const client = await ctx.config.client(clientId);
  if (!client || !client.enabled) throw new PageError(ErrorCode.invalidClient, "unknown or disabled client");
  const payload = await verifyRequestObject(ctx, client, jwt);
  return formOf(payload, clientId);
}

/** @see https://www.rfc-editor.org/rfc/rfc9101#section-6.3 */
async function verifyRequestObject(ctx: ProviderContext, client: ClientRecord, jwt: string): Promise<JWTPayload> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jwt);
  } catch {
    throw invalid("request object is not a JWT");
  }
  if (jwt.split(".").length !== 3) throw invalid("encrypted request objects are not supported");
  const algs = requestObjectAlgsFor(client);
  if (!header.alg || !algs.includes(header.alg)) throw invalid(`request object must be signed with ${algs.join(", ")}`);
  if (header.typ !== undefined && header.typ !== REQUEST_OBJECT_TYPE && header.typ.toUpperCase() !== "JWT")
    throw invalid(`request object typ must be ${REQUEST_OBJECT_TYPE}`);
  if (!client.jwks?.keys.length) throw invalid("the client has no registered keys to verify request objects");
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(jwt, createLocalJWKSet(client.jwks as Parameters<typeof createLocalJWKSet>[0]), {
      algorithms: [...algs],
      issuer: client.clientId,
      audience: ctx.settings.issuer,
      requiredClaims: ["exp"],
      currentDate: new Date(ctx.now()),
    }));
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "ERR_JWT_EXPIRED") throw invalid("request object is expired");
    if (code === "ERR_JWT_CLAIM_VALIDATION_FAILED")
      throw invalid(`request object ${(err as { claim?: string }).claim ?? "claim"} is invalid`);
    throw invalid("request object signature is invalid");
  }
  if (payload.exp! - Math.floor(ctx.now() / 1000) > MAX_LIFETIME_SECONDS) throw invalid("request object exp is more than an hour away");
  if (payload.client_id !== undefined && payload.client_id !== client.clientId) throw invalid("request object client_id does not match");
  if ("request" in payload || "request_uri" in payload) throw invalid("request object must not contain request or request_uri");
  return payload;
}

const JWT_CLAIMS = new Set(["iss", "aud", "exp", "iat", "nbf", "jti"]);

/** The authorization request's parameters from the object's claims. */
function formOf(payload: JWTPayload, clientId: string): Map<string, string[]> {
  const form = new Map<string, string[]>();
  for (const [name, value] of Object.entries(payload)) {
    if (JWT_CLAIMS.has(name) || value === null || value === undefined) continue;
    const text = (v: unknown) =>
      typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : JSON.stringify(v);
    form.set(name, name === "resource" && Array.isArray(value) ? value.map(text) : [text(value)]);
  }
  form.set("client_id", [clientId]);
  return form;
}
