/**
 * The token exchange grant (RFC 8693): a confidential client trades a subject token (and, for
 * delegation, an actor token) for a new access token, within its portcullis.token_exchange policy.
 *
 * Rules, in order:
 * - the token endpoint has checked the client may use the grant type (else unauthorized_client);
 *   a public client may not (unauthorized_client);
 * - subject_token and subject_token_type are required (invalid_request); the only token type
 *   taken, as subject, actor and requested_token_type, is an access token issued here
 *   (urn:ietf:params:oauth:token-type:access_token); another is invalid_request (RFC 8693 2.2.2);
 *   actor_token_type comes with actor_token and only with it (invalid_request);
 * - the subject token (and actor token) must be live: signed here or stored, unexpired, not
 *   revoked, its client enabled, its user in good standing; the policy's subject_clients, when
 *   not empty, name the clients whose tokens may be exchanged. A token that is invalid or that
 *   the policy does not accept is invalid_request: RFC 8693 2.2.2 says MUST (not invalid_grant);
 * - without actor_token it is impersonation, with it delegation: the client's policy must allow
 *   that kind (unauthorized_client); delegation puts `act: {sub, client_id}` of the actor token
 *   in the new token, the subject token's own `act` nested inside (RFC 8693 4.1); impersonation
 *   keeps the subject token's `act`, so a delegation chain is never dropped;
 * - every `audience` and `resource` must name an enabled API resource in the policy's audiences,
 *   or, when the policy names none, one of the subject token's audiences (else invalid_target);
 * - scopes are a subset of the subject token's and of the client's allowed API scopes (else
 *   invalid_scope); none requested: the subject token's that the client may have (of the targets);
 * - the new token keeps the subject's sub, auth_time, acr and sid, is issued to the exchanging
 *   client, dies with the subject token's grant family, and never outlives the subject token;
 * - every exchange is audited (token.exchanged), every refusal only logged by the endpoint.
 * @see https://www.rfc-editor.org/rfc/rfc8693
 */
import { resolveResourceScopes } from "../checks/resource-scopes";
import { ClientAuthMethod, TokenType, TokenTypeUri } from "../constants";
import { SubjectType, sectorOf } from "../subject";
import type { ProviderContext } from "../context";
import { oauthError } from "../errors";
import { param, splitSpaced } from "../http";
import { familyOfJti } from "../revocations";
import { createAccessToken, type AccessTokenClaims } from "../tokens/access-token";
import { inspectAccessToken } from "../tokens/inspect";
import type { GrantHandler } from "./types";

/** The subject's claims an exchanged token carries on. */
const CARRIED_CLAIMS = ["auth_time", "acr", "sid"] as const;

/** A live token's claims as issued, and whom it is for here (the user's own id when its sub is pairwise). */
async function liveToken(
  ctx: ProviderContext,
  token: string,
  which: "subject" | "actor",
): Promise<{ claims: AccessTokenClaims; subject: string }> {
  const found = await inspectAccessToken(ctx, token);
  if (!found) throw oauthError.invalidRequest(`${which} token is invalid, expired or revoked`);
  return { claims: found.claims, subject: found.subject };
}

function requireAccessTokenType(value: string | undefined, name: string): void {
  if (value !== TokenTypeUri.accessToken) throw oauthError.invalidRequest(`unsupported ${name}`);
}

export const tokenExchange: GrantHandler = async (ctx, { client, form, dpop }) => {
  if (client.tokenEndpointAuthMethod === ClientAuthMethod.none)
    throw oauthError.unauthorizedClient("public clients cannot use token exchange");
  const policy = client.tokenExchange;
  const subjectToken = param(form, "subject_token");
  if (!subjectToken) throw oauthError.invalidRequest("missing required parameter 'subject_token'");
  const subjectType = param(form, "subject_token_type");
  if (!subjectType) throw oauthError.invalidRequest("missing required parameter 'subject_token_type'");
  requireAccessTokenType(subjectType, "subject_token_type");
  const actorToken = param(form, "actor_token");
  const actorType = param(form, "actor_token_type");
  if (actorToken && !actorType) throw oauthError.invalidRequest("missing required parameter 'actor_token_type'");
  if (!actorToken && actorType) throw oauthError.invalidRequest("actor_token_type given without actor_token");
  if (actorType) requireAccessTokenType(actorType, "actor_token_type");
  const requestedType = param(form, "requested_token_type");
  if (requestedType) requireAccessTokenType(requestedType, "requested_token_type");

  if (actorToken ? !policy.delegation : !policy.impersonation)
    throw oauthError.unauthorizedClient(`client is not allowed ${actorToken ? "delegation" : "impersonation"}`);

  const { claims: subject, subject: subjectId } = await liveToken(ctx, subjectToken, "subject");
  // A sender-constrained subject token is exchanged only by the holder of its key (RFC 9449).
  const bound = (subject.cnf as { jkt?: string } | undefined)?.jkt;
  if (bound && dpop?.jkt !== bound) throw oauthError.invalidRequest("subject token is DPoP-bound: send a DPoP proof of its key");
  // A pairwise sub must not become another sector's (or the public) identifier of the same user.
  const from = await ctx.config.client(subject.client_id);
  if (from?.subjectType === SubjectType.pairwise && (client.subjectType !== SubjectType.pairwise || sectorOf(client) !== sectorOf(from)))
    throw oauthError.invalidRequest("subject token of a pairwise client may only be exchanged by a pairwise client of its sector");
  if (policy.subjectClients.length && !policy.subjectClients.includes(subject.client_id))
    throw oauthError.invalidRequest("subject token's client is not one whose tokens this client may exchange");
  // The actor as its own token names it (a pairwise sub stays pairwise), never the unsealed id.
  const actor = actorToken ? (await liveToken(ctx, actorToken, "actor")).claims : null;

  const targets = [...(form.get("audience") ?? []), ...(form.get("resource") ?? [])];
  const allowedTargets = policy.audiences.length ? policy.audiences : ([] as string[]).concat(subject.aud);
  for (const t of targets) if (!allowedTargets.includes(t)) throw oauthError.invalidTarget(`audience is not allowed: ${t}`);

  const subjectScopes = new Set(splitSpaced(subject.scope));
  const requested = splitSpaced(param(form, "scope"));
  for (const s of requested) if (!subjectScopes.has(s)) throw oauthError.invalidScope(`scope is not in the subject token: ${s}`);
  const apis = await ctx.config.apiResources();
  const wanted = requested.length ? requested : defaultScopes(subjectScopes, client.allowedScopes, apis, targets);
  // Never the resolver's "every allowed scope" default: that would reach beyond the subject token.
  if (wanted.length === 0) throw oauthError.invalidScope("no scope of the subject token may be exchanged by this client");
  const grant = resolveResourceScopes(client, apis, wanted, [...new Set(targets)]);

  const act = actor ? { act: { sub: actor.sub, client_id: actor.client_id, ...(subject.act ? { act: subject.act } : {}) } } : {};
  const carried = Object.fromEntries(CARRIED_CLAIMS.filter((c) => subject[c] !== undefined).map((c) => [c, subject[c]]));
  const issued = await createAccessToken(ctx, {
    client,
    subject: subjectId,
    user: subject.auth_time !== undefined,
    jkt: dpop?.jkt,
    ...grant,
    extraClaims: { ...carried, ...(subject.act && !actor ? { act: subject.act } : {}), ...act },
    familyId: familyOfJti(subject.jti),
    notAfter: subject.exp,
  });
  await ctx.stores.audit.record({
    type: "token.exchanged",
    actor: `client:${client.clientId}`,
    subject: subjectId,
    clientId: client.clientId,
    details: {
      kind: actor ? "delegation" : "impersonation",
      subject_client_id: subject.client_id,
      ...(actor ? { actor: { sub: actor.sub, client_id: actor.client_id } } : {}),
      audiences: grant.audiences,
      scope: grant.scopes.join(" "),
      jti: issued.claims.jti,
    },
  });
  return {
    access_token: issued.token,
    issued_token_type: TokenTypeUri.accessToken,
    token_type: dpop ? TokenType.dpop : TokenType.bearer,
    expires_in: issued.expiresIn,
    scope: grant.scopes.join(" "),
  };
};

/** The subject token's scopes that the client may have and that are API scopes (of the targets, when given). */
function defaultScopes(
  subjectScopes: Set<string>,
  allowed: string[],
  apis: Awaited<ReturnType<ProviderContext["config"]["apiResources"]>>,
  targets: string[],
): string[] {
  const owned = new Map<string, string>();
  for (const r of apis) if (r.enabled) for (const s of r.scopes) if (s.enabled) owned.set(s.name, r.name);
  return allowed.filter((s) => subjectScopes.has(s) && owned.has(s) && (targets.length === 0 || targets.includes(owned.get(s)!)));
}
