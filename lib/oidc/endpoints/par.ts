/**
 * The pushed authorization request endpoint (RFC 9126): a client posts its authorization request
 * over the back channel and sends the browser only a request_uri.
 *
 * Rules:
 * - the client authenticates as at the token endpoint (public clients with client_id alone);
 * - a client_id in the body must be the authenticated client's (client-auth/credentials.ts);
 *   request_uri may not be pushed;
 * - the request is validated as the authorization endpoint would (checks/authorize-request.ts);
 *   a failure is a JSON error (RFC 9126 2.3: 400 with the authorization error codes), never a
 *   redirect;
 * - the answer is 201 with `request_uri` (urn:ietf:params:oauth:request_uri:<random>) and
 *   `expires_in` (the client's pushed_request_lifetime, default 60 s); only the hash of the
 *   handle is stored, with the parameters minus the client's credentials;
 * - the authorization endpoint takes a request_uri once (pushedRequestForm);
 * - a DPoP proof (checks/dpop.ts, htu the PAR endpoint) binds the code to its key: it sets
 *   dpop_jkt, which must name the same key when given too (RFC 9449 10.1).
 * @see https://www.rfc-editor.org/rfc/rfc9126
 */
import { authenticateClient } from "../client-auth/authenticate";
import { readCredentials } from "../client-auth/credentials";
import { isPageError, isRedirectError, PageError, validateAuthorizeRequest } from "../checks/authorize-request";
import { ErrorCode, GrantRecordType, PAR_REQUEST_URI_PREFIX } from "../constants";
import type { ProviderContext } from "../context";
import { randomHandle } from "../crypto";
import { OAuthError, oauthError } from "../errors";
import { jsonNoStore, param, readForm } from "../http";
import { consumeRecord, findLive, recordKey, saveRecord } from "../records";
import { dpopError, dpopHeaderOf, verifyDpopProof } from "../checks/dpop";
import type { ClientRecord } from "../ports";
import { dpopAlgorithmsFor } from "../profiles";
import { respond } from "./respond";
import { requestObjectForm } from "../checks/request-object";

/** Parameters that authenticate the client: never stored with the request. */
const CREDENTIALS = ["client_secret", "client_assertion", "client_assertion_type"];

/** @see https://www.rfc-editor.org/rfc/rfc9126#section-2 */
export function pushedAuthorizationRequest(req: Request, ctx: ProviderContext): Promise<Response> {
  return respond(ctx, "par", async () => {
    const form = await readForm(req, ["resource"]);
    const client = await authenticateClient(ctx, readCredentials(req, form), "token.client");
    if (form.has("request_uri")) throw oauthError.invalidRequest("request_uri must not be pushed");
    const sent = new Map([...form].filter(([name]) => !CREDENTIALS.includes(name)));
    sent.set("client_id", [client.clientId]);
    let params = sent;
    try {
      // A signed request object is verified now and its parameters stored (RFC 9126 3).
      params = await requestObjectForm(ctx, sent);
      await bindToDpopKey(ctx, req, client, params);
      await validateAuthorizeRequest(ctx, params, { pushed: true });
    } catch (err) {
      if (isPageError(err))
        throw new OAuthError(err.error as ConstructorParameters<typeof OAuthError>[0], err.description, { status: 400 });
      if (isRedirectError(err)) throw new OAuthError(err.cause.error, err.cause.description, { status: 400 });
      throw err;
    }
    const handle = randomHandle(32);
    await saveRecord(ctx, {
      key: await recordKey.pushedRequest(ctx, handle),
      type: GrantRecordType.pushedRequest,
      clientId: client.clientId,
      subjectId: null,
      familyId: null,
      data: { params: [...params] },
      expiresAt: new Date(ctx.now() + client.pushedRequestLifetime * 1000),
      consumedAt: null,
    });
    return jsonNoStore({ request_uri: PAR_REQUEST_URI_PREFIX + handle, expires_in: client.pushedRequestLifetime }, 201);
  });
}

/**
 * RFC 9449 10.1: a DPoP proof sent with the pushed request binds the code to its key, as
 * dpop_jkt would; both given, they must name the same key.
 */
async function bindToDpopKey(ctx: ProviderContext, req: Request, client: ClientRecord, params: Map<string, string[]>): Promise<void> {
  const proof = dpopHeaderOf(req, "token");
  if (proof === undefined) return;
  const { jkt } = await verifyDpopProof(ctx, req, proof, {
    url: ctx.urls.pushedAuthorizationRequest,
    at: "token",
    algorithms: dpopAlgorithmsFor(client),
  });
  const named = param(params, "dpop_jkt");
  if (named !== undefined && named !== jkt) throw dpopError("token", "dpop_jkt does not match the DPoP proof key");
  params.set("dpop_jkt", [jkt]);
}

/**
 * The parameters of the pushed request a request_uri names, taken once: an unknown, expired,
 * used or other client's request_uri shows the error page (the redirect_uri is not known yet).
 * Only the pushed parameters count (RFC 9126 4: the others are ignored), client_id must match.
 */
export async function pushedRequestForm(ctx: ProviderContext, form: Map<string, string[]>): Promise<Map<string, string[]>> {
  const clientId = param(form, "client_id");
  if (!clientId) throw new PageError(ErrorCode.invalidRequest, "missing required parameter 'client_id'");
  const uri = param(form, "request_uri") ?? "";
  const invalid = new PageError(ErrorCode.invalidRequestUri, "request_uri is unknown, expired or already used");
  if (!uri.startsWith(PAR_REQUEST_URI_PREFIX) || uri.length > 200) throw invalid;
  const key = await recordKey.pushedRequest(ctx, uri.slice(PAR_REQUEST_URI_PREFIX.length));
  const record = await findLive(ctx, GrantRecordType.pushedRequest, key);
  if (!record || record.clientId !== clientId || record.consumedAt) throw invalid;
  if (!(await consumeRecord(ctx, key))) throw invalid;
  return new Map(record.data.params);
}
