/**
 * Authenticates clients and API resources.
 *
 * Rules:
 * - the client exists and is enabled, else invalid_client;
 * - the mechanism used is the client's registered token_endpoint_auth_method, else invalid_client;
 *   a profile that requires another method (FAPI 2.0: private_key_jwt) fails every request;
 * - a secret matches one of the client's unexpired secret hashes, else invalid_client;
 * - private_key_jwt (RFC 7523 section 3): signed by a key in the client's jwks with an asymmetric
 *   algorithm (its token_endpoint_auth_signing_alg when registered, within its profile's: profiles.ts);
 *   iss and sub are the client_id;
 *   aud is this server's issuer identifier as a single string, never an endpoint URL (OpenID
 *   Foundation audience-injection advisory, 2025; RFC 7523bis); exp is present, not past and at
 *   most an hour ahead; jti is present and is used once only;
 * - an API resource (introspection) authenticates with a secret, Basic or post, and must be enabled;
 * - once authenticated, the request counts against the caller's rate limit (token.client, shared
 *   with revocation, or introspection.client): counted only now, so naming a client is not enough
 *   to spend its allowance;
 * - failures are audited in aggregate (failures.ts), never a row each.
 */
import { createLocalJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet } from "jose";
import { ClientAuthMethod } from "../constants";
import { clientAssertionAlgsFor, requiredAuthMethod } from "../profiles";
import type { ProviderContext } from "../context";
import { verifySecret } from "../crypto";
import { oauthError, rateLimited, type OAuthError } from "../errors";
import type { ApiResourceRecord, ClientRecord, HashedSecret } from "../ports";
import type { PresentedCredentials } from "./credentials";
import { nameKey } from "../rate-limit";

const MAX_ASSERTION_LIFETIME = 60 * 60;
/** Unknown client, wrong secret and wrong method look alike to the caller; the log has the reason. */
const GENERIC = "client authentication failed";
const UNKNOWN_CLIENT = "(unknown client)";

export async function authenticateClient(
  ctx: ProviderContext,
  presented: PresentedCredentials,
  limit: "token.client" | "introspection.client",
): Promise<ClientRecord> {
  const client = await verifyClient(ctx, presented);
  // A public client is named, not authenticated: counting it would let anyone spend its allowance.
  if (client.tokenEndpointAuthMethod !== ClientAuthMethod.none) await limitCaller(ctx, limit, client.clientId);
  return client;
}

async function limitCaller(ctx: ProviderContext, rule: "token.client" | "introspection.client", id: string): Promise<void> {
  const wait = await ctx.limits.hit(rule, nameKey(id));
  if (wait > 0) throw rateLimited(wait);
}

async function verifyClient(ctx: ProviderContext, presented: PresentedCredentials): Promise<ClientRecord> {
  const client = await ctx.config.client(presented.id);
  // Unknown ids share one audit bucket: a sender must not create a row per invented id.
  if (!client || !client.enabled)
    throw await fail(ctx, { id: client ? presented.id : UNKNOWN_CLIENT }, GENERIC, "unknown or disabled client");
  const required = requiredAuthMethod(client);
  if (required && client.tokenEndpointAuthMethod !== required) {
    throw await fail(ctx, presented, GENERIC, `the client's profile requires ${required}`);
  }
  if (client.tokenEndpointAuthMethod !== presented.method) {
    throw await fail(ctx, presented, GENERIC, `client uses ${client.tokenEndpointAuthMethod}, presented ${presented.method}`);
  }
  switch (presented.method) {
    case ClientAuthMethod.basic:
    case ClientAuthMethod.post:
      if (!(await matchesSecret(ctx, presented.secret, client.secrets))) throw await fail(ctx, presented, GENERIC, "invalid secret");
      return client;
    case ClientAuthMethod.privateKeyJwt:
      await verifyAssertion(ctx, client, presented.assertion);
      return client;
    case ClientAuthMethod.none:
      return client;
  }
}

/** An API resource calling introspection with its own secret; null when no resource has that name. */
export async function authenticateApiResource(ctx: ProviderContext, presented: PresentedCredentials): Promise<ApiResourceRecord | null> {
  if (presented.method !== ClientAuthMethod.basic && presented.method !== ClientAuthMethod.post) return null;
  const resource = (await ctx.config.apiResources()).find((r) => r.name === presented.id);
  if (!resource) return null;
  if (!resource.enabled || !(await matchesSecret(ctx, presented.secret, resource.secrets))) {
    throw await fail(ctx, presented, GENERIC, "invalid api resource secret or disabled api resource");
  }
  await limitCaller(ctx, "introspection.client", `api:${resource.name}`);
  return resource;
}

async function matchesSecret(ctx: ProviderContext, secret: string, secrets: HashedSecret[]): Promise<boolean> {
  const now = ctx.now();
  const hash = ctx.sha256;
  let ok = false;
  for (const s of secrets) {
    if (s.expiresAt && s.expiresAt.getTime() <= now) continue;
    // No early exit: the time taken does not tell which secret matched.
    if (await verifySecret(secret, s.hash, hash)) ok = true;
  }
  return ok;
}

async function verifyAssertion(ctx: ProviderContext, client: ClientRecord, assertion: string): Promise<void> {
  if (!client.jwks?.keys.length) throw await fail(ctx, { id: client.clientId }, "client has no registered jwks");
  let payload, protectedHeader;
  try {
    ({ payload, protectedHeader } = await jwtVerify(assertion, createLocalJWKSet(client.jwks as JSONWebKeySet), {
      algorithms: clientAssertionAlgsFor(client),
      issuer: client.clientId,
      subject: client.clientId,
      audience: ctx.settings.issuer,
      requiredClaims: ["exp", "jti"],
      clockTolerance: ctx.settings.clockSkew,
      currentDate: new Date(ctx.now()),
    }));
  } catch (err) {
    const reason = err instanceof joseErrors.JOSEError ? err.message : "verification failed";
    throw await fail(ctx, { id: client.clientId }, "invalid client_assertion", reason);
  }
  // A request object (RFC 9101) passes through the browser: it is never a client's credential.
  if (protectedHeader.typ?.toLowerCase() === "oauth-authz-req+jwt")
    throw await fail(ctx, { id: client.clientId }, "invalid client_assertion", "a request object is not a client assertion");
  // An array naming the issuer among others is the shape the audience-injection attack uses.
  if (typeof payload.aud !== "string")
    throw await fail(ctx, { id: client.clientId }, "invalid client_assertion", "aud must be the issuer identifier as a string");
  const exp = payload.exp!;
  if (exp - ctx.now() / 1000 > MAX_ASSERTION_LIFETIME + ctx.settings.clockSkew) {
    throw await fail(ctx, { id: client.clientId }, "client_assertion exp is too far in the future");
  }
  const fresh = await ctx.stores.replay.useOnce(
    `client_assertion:${client.clientId}:${payload.jti}`,
    new Date((exp + ctx.settings.clockSkew) * 1000),
  );
  if (!fresh) throw await fail(ctx, { id: client.clientId }, "client assertion tokens must only be used once");
}

async function fail(ctx: ProviderContext, presented: { id: string }, description: string, detail?: string): Promise<OAuthError> {
  // The reason counted is a short fact: the detail behind the generic answer, else the answer.
  ctx.clientAuthFailures.record(presented.id, description === GENERIC && detail ? detail : description);
  return oauthError.invalidClient(description, detail);
}
