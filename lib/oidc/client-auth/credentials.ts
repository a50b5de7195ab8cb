/**
 * Reads the credentials a caller presents (RFC 6749 section 2.3, RFC 7523 section 2.2).
 *
 * Rules:
 * - client_secret_basic: `Authorization: Basic` with form-urlencoded id and secret (RFC 6749 2.3.1);
 *   a header that is not valid base64 or has no colon is invalid_request;
 * - client_secret_post: client_id and client_secret in the body;
 * - private_key_jwt: client_assertion with client_assertion_type jwt-bearer;
 * - none: only client_id in the body (public clients);
 * - more than one mechanism at once is invalid_request;
 * - a client_id in the body must name the same client as the mechanism used.
 */
import { ClientAuthMethod, JWT_BEARER_ASSERTION_TYPE } from "../constants";
import { oauthError } from "../errors";
import { param } from "../http";
import { decodeJwt } from "jose";

export type PresentedCredentials =
  | { method: typeof ClientAuthMethod.basic | typeof ClientAuthMethod.post; id: string; secret: string }
  | { method: typeof ClientAuthMethod.privateKeyJwt; id: string; assertion: string }
  | { method: typeof ClientAuthMethod.none; id: string };

export function readCredentials(req: Request, form: Map<string, string[]>): PresentedCredentials {
  const authorization = req.headers.get("authorization");
  const bodyId = param(form, "client_id");
  const bodySecret = param(form, "client_secret");
  const assertion = param(form, "client_assertion");
  const assertionType = param(form, "client_assertion_type");

  const used = [authorization !== null, bodySecret !== undefined, assertion !== undefined || assertionType !== undefined].filter(
    Boolean,
  ).length;
  if (used > 1) throw oauthError.invalidRequest("client authentication must only be provided using one mechanism");

  let presented: PresentedCredentials;
  if (authorization !== null) {
    const { id, secret } = parseBasic(authorization);
    presented = { method: ClientAuthMethod.basic, id, secret };
  } else if (bodySecret !== undefined) {
    if (bodyId === undefined) throw oauthError.invalidRequest("missing required parameter 'client_id'");
    presented = { method: ClientAuthMethod.post, id: bodyId, secret: bodySecret };
  } else if (assertion !== undefined || assertionType !== undefined) {
    if (assertionType !== JWT_BEARER_ASSERTION_TYPE) {
      throw oauthError.invalidRequest(`client_assertion_type must be ${JWT_BEARER_ASSERTION_TYPE}`);
    }
    if (assertion === undefined) throw oauthError.invalidRequest("missing required parameter 'client_assertion'");
    presented = { method: ClientAuthMethod.privateKeyJwt, id: assertionSubject(assertion), assertion };
  } else if (bodyId !== undefined) {
    presented = { method: ClientAuthMethod.none, id: bodyId };
  } else {
    throw oauthError.invalidClient("no client authentication mechanism provided");
  }
  if (bodyId !== undefined && bodyId !== presented.id) {
    throw oauthError.invalidRequest("client_id does not match the client authentication");
  }
  return presented;
}

function parseBasic(header: string): { id: string; secret: string } {
  const match = /^basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header);
  if (!match) throw oauthError.invalidRequest("invalid authorization header value format");
  let decoded: string;
  try {
    decoded = new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(atob(match[1]!), (c) => c.charCodeAt(0)));
  } catch {
    throw oauthError.invalidRequest("invalid authorization header value format");
  }
  const colon = decoded.indexOf(":");
  if (colon < 0) throw oauthError.invalidRequest("invalid authorization header value format");
  try {
    const id = formDecode(decoded.slice(0, colon));
    const secret = formDecode(decoded.slice(colon + 1));
    if (!id || !secret) throw new Error("empty");
    return { id, secret };
  } catch {
    throw oauthError.invalidRequest("client_id and client_secret in the authorization header must be form-urlencoded");
  }
}

function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, " "));
}

function assertionSubject(assertion: string): string {
  try {
    const { sub } = decodeJwt(assertion);
    if (typeof sub === "string" && sub) return sub;
  } catch {
    // reported below
  }
  throw oauthError.invalidClient("client_assertion is not a valid JWT with a sub claim");
}
