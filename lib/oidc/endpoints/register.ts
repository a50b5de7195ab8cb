/**
 * Dynamic client registration (RFC 7591) and its management protocol (RFC 7592).
 *
 * Rules:
 * - served only when settings.registration.mode is not "off" and a registrar is wired
 *   (discovery advertises registration_endpoint exactly then); otherwise 404;
 * - POST /connect/register takes a JSON object (application/json, at most 64 KiB); in mode
 *   "token" it needs `Authorization: Bearer <initial access token>`: a missing, unknown, expired,
 *   revoked or used-up token is 401 invalid_token with a Bearer challenge (RFC 6750 3.1);
 * - the metadata is checked first (the console's schema and the registration policy, by the
 *   registrar) and only then is a use of the initial access token counted, in one conditional
 *   update: a refused registration does not spend a use;
 * - a refused value is 400 invalid_redirect_uri for redirect_uris, invalid_client_metadata
 *   otherwise, the description naming the field (RFC 7591 3.2.2);
 * - success is 201 with the metadata, client_id, client_id_issued_at, client_secret (shown once,
 *   only when the auth method uses one) with client_secret_expires_at 0, registration_access_token
 *   and registration_client_uri (RFC 7591 3.2.1); only hashes of the secret and token are kept;
 * - GET/PUT/DELETE on registration_client_uri need that client's registration access token
 *   (RFC 7592 2); a wrong token, an unknown client or a client an administrator registered all
 *   answer 401 invalid_token alike; PUT replaces the metadata with the same checks and must name
 *   the client_id; the registration access token is not rotated; DELETE answers 204.
 * @see https://www.rfc-editor.org/rfc/rfc7591
 * @see https://www.rfc-editor.org/rfc/rfc7592
 */
import { ErrorCode, Paths } from "../constants";
import type { ProviderContext } from "../context";
import { hashSecret, randomHandle, timingSafeEqual } from "../crypto";
import { OAuthError, oauthError } from "../errors";
import { bearerTokenOf, jsonNoStore, MAX_BODY_BYTES, readBytesLimited } from "../http";
import type { MetadataProblem, RegisteredClient, RegistrationOutcome } from "../ports";
import { respond } from "./respond";

/** Whether the registration endpoint is served (and advertised). */
export const registrationServed = (ctx: ProviderContext): boolean => ctx.registrar !== null && ctx.settings.registration.mode !== "off";

/** Fields the server sets: a request's values for them are ignored (RFC 7591 3.2.1, RFC 7592 2.2). */
const SERVER_FIELDS = [
  "client_secret",
  "client_id_issued_at",
  "client_secret_expires_at",
  "registration_access_token",
  "registration_client_uri",
];

/** @see https://www.rfc-editor.org/rfc/rfc7591#section-3.1 */
export function registerClient(req: Request, ctx: ProviderContext): Promise<Response> {
  return respond(
    ctx,
    "registration",
    async () => {
      const registrar = servedRegistrar(ctx);
      if (!registrar) return notServed();
      const token = bearerTokenOf(req.headers.get("authorization") ?? "");
      const needsToken = ctx.settings.registration.mode === "token";
      if (needsToken && !token) throw invalidToken("an initial access token is required");
      const metadata = withoutServerFields(await readJsonObject(req));
      delete metadata.client_id;
      const problems = await registrar.check(metadata);
      if (problems.length) throw metadataError(problems);
      let initialAccessTokenId: string | null = null;
      if (needsToken) {
        const used = await registrar.useInitialAccessToken(await hashSecret(token!, ctx.sha256), new Date(ctx.now()));
        if (!used) throw invalidToken("initial access token is invalid, expired or used up");
        initialAccessTokenId = used.id;
      }
      const accessToken = randomHandle(32);
      const outcome = await registrar.register(metadata, {
        accessTokenHash: await hashSecret(accessToken, ctx.sha256),
        initialAccessTokenId,
      });
      const { client, clientSecret } = registered(outcome);
      return jsonNoStore({ ...clientResponse(ctx, client, clientSecret), registration_access_token: accessToken }, 201);
    },
    "Bearer on 401",
  );
}

/** GET, PUT and DELETE on a registration_client_uri. @see https://www.rfc-editor.org/rfc/rfc7592#section-2 */
export function manageRegisteredClient(req: Request, ctx: ProviderContext): Promise<Response> {
  return respond(
    ctx,
    "registration",
    async () => {
      const registrar = servedRegistrar(ctx);
      const clientId = registeredClientId(req);
      if (!registrar || clientId === null) return notServed();
      const client = await authorizedClient(ctx, req, clientId);
      if (req.method === "GET" || req.method === "HEAD") return jsonNoStore(clientResponse(ctx, client));
      if (req.method === "DELETE") {
        if (!(await registrar.remove(clientId))) throw invalidToken("registration access token is invalid");
        return new Response(null, { status: 204, headers: { "Cache-Control": "no-store", Pragma: "no-cache" } });
      }
      const body = await readJsonObject(req);
      if (body.client_id !== clientId) throw new OAuthError(ErrorCode.invalidClientMetadata, "client_id must be the registered client's");
      const metadata = withoutServerFields(body);
      delete metadata.client_id;
      const { client: updated } = registered(await registrar.replace(clientId, metadata));
      return jsonNoStore(clientResponse(ctx, updated));
    },
    "Bearer on 401",
  );
}

function servedRegistrar(ctx: ProviderContext) {
  return registrationServed(ctx) ? ctx.registrar : null;
}

const notServed = () => jsonNoStore({ error: ErrorCode.invalidRequest, error_description: "client registration is not enabled" }, 404);

function registeredClientId(req: Request): string | null {
  const path = new URL(req.url).pathname;
  const prefix = Paths.registration + "/";
  if (!path.startsWith(prefix)) return null;
  const id = safeDecode(path.slice(prefix.length));
  return id && id.length <= 200 && !id.includes("/") ? id : null;
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

async function authorizedClient(ctx: ProviderContext, req: Request, clientId: string): Promise<RegisteredClient> {
  const token = bearerTokenOf(req.headers.get("authorization") ?? "");
  if (!token) throw invalidToken("a registration access token is required");
  const client = await ctx.registrar!.find(clientId);
  const hash = await hashSecret(token, ctx.sha256);
  // One answer for an unknown client, an administrator's client and a wrong token.
  if (!client?.registrationAccessTokenHash || !timingSafeEqual(hash, client.registrationAccessTokenHash))
    throw invalidToken("registration access token is invalid");
  return client;
}

const invalidToken = (description: string) => oauthError.invalidToken(description);

/** Reads a JSON object body of at most MAX_BODY_BYTES. */
async function readJsonObject(req: Request): Promise<Record<string, unknown>> {
  const type = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") throw oauthError.invalidRequest("only application/json bodies are supported");
  const bytes = await readBytesLimited(req.body, MAX_BODY_BYTES, () => oauthError.invalidRequest("request body is too large"));
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new OAuthError(ErrorCode.invalidClientMetadata, "request body is not valid JSON");
  }
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw new OAuthError(ErrorCode.invalidClientMetadata, "request body must be a JSON object");
  return body as Record<string, unknown>;
}

function withoutServerFields(body: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...body };
  for (const name of SERVER_FIELDS) delete copy[name];
  return copy;
}

/** RFC 7591 3.2.2: invalid_redirect_uri for redirect URIs, invalid_client_metadata for the rest. */
function metadataError(problems: MetadataProblem[]): OAuthError {
  const first = problems.find((p) => p.path.startsWith("redirect_uris")) ?? problems[0]!;
  const code = first.path.startsWith("redirect_uris") ? ErrorCode.invalidRedirectUri : ErrorCode.invalidClientMetadata;
  return new OAuthError(code, first.path ? `${first.path}: ${first.message}` : first.message);
}

function registered(outcome: RegistrationOutcome): { client: RegisteredClient; clientSecret?: string } {
  if (!outcome.ok) throw metadataError(outcome.problems);
  return outcome;
}

function clientResponse(ctx: ProviderContext, client: RegisteredClient, clientSecret?: string): Record<string, unknown> {
  return {
    ...client.metadata,
    client_id: client.clientId,
    client_id_issued_at: Math.floor(client.createdAt.getTime() / 1000),
    ...(clientSecret ? { client_secret: clientSecret, client_secret_expires_at: 0 } : {}),
    registration_client_uri: `${ctx.urls.registration}/${encodeURIComponent(client.clientId)}`,
  };
}
