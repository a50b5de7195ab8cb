/**
 * What happens to a valid authorization request: sign-in, consent, then the code.
 *
 * Rules:
 * - sign-in is needed without a session, with prompt=login or select_account, when max_age has
 *   passed since auth_time, and when id_token_hint names another user, unless the user signed in
 *   during this very interaction; prompt=none then answers login_required;
 * - consent is needed when the client requires it and no remembered consent covers every
 *   requested scope, or with prompt=consent; prompt=none then answers consent_required;
 * - the user may decline optional scopes; openid and scopes marked required stay;
 * - a remembered consent is a grant the user can revoke;
 * - a waiting request is stored under the hash of a random id for interactionLifetime; the
 *   pages name it by that id.
 */
import { authorizationResponse, redirect } from "./authorization-response";
import type { ValidatedAuthorizeRequest } from "./checks/authorize-request";
import { ErrorCode, GrantRecordType, OPENID, Pages, Prompt } from "./constants";
import type { ProviderContext } from "./context";
import { randomHandle } from "./crypto";
import { findLive, recordKey, replaceRecord, saveRecord, type CodeData } from "./records";
import { oauthError, type OAuthError } from "./errors";
import type { ClientRecord } from "./ports";
import { currentSession, type ActiveSession } from "./session";

export interface AuthorizeInteraction {
  type: "authorize";
  request: ValidatedAuthorizeRequest;
  createdAt: number;
  /** set by the consent page */
  consent?: { scopes: string[]; remember: boolean };
  denied?: boolean;
}

export interface LogoutInteraction {
  type: "logout";
  clientId?: string;
  postLogoutRedirectUri?: string;
  state?: string;
  createdAt: number;
}

export type Interaction = AuthorizeInteraction | LogoutInteraction;

export async function saveInteraction(ctx: ProviderContext, interaction: Interaction, id = randomHandle(24)): Promise<string> {
  await replaceRecord(ctx, {
    key: await recordKey.interaction(ctx, id), type: GrantRecordType.interaction,
    clientId: interaction.type === "authorize" ? interaction.request.clientId : (interaction.clientId ?? ""),
    subjectId: null, familyId: null, data: interaction,
    expiresAt: new Date(interaction.createdAt + ctx.settings.interactionLifetime * 1000), consumedAt: null,
  });
  return id;
}

export async function loadInteraction(ctx: ProviderContext, id: string | undefined): Promise<Interaction | null> {
  if (!id || id.length > 100) return null;
  return (await findLive(ctx, GrantRecordType.interaction, await recordKey.interaction(ctx, id)))?.data ?? null;
}

export async function removeInteraction(ctx: ProviderContext, id: string): Promise<void> {
  await ctx.stores.grants.removeGrant(await recordKey.interaction(ctx, id));
}

/** The token a form carries for this browser's CSRF cookie and a purpose. */
export function csrfToken(ctx: ProviderContext, cookie: string, purpose: string): Promise<string> {
  return ctx.sign(`${cookie}:${purpose}`);
}

export function authorizeErrorResponse(ctx: ProviderContext, request: Pick<ValidatedAuthorizeRequest, "redirectUri" | "responseMode" | "state">, err: OAuthError): Promise<Response> {
  return authorizationResponse(request, { error: err.error, error_description: err.description, state: request.state, iss: ctx.settings.issuer });
}

/** Continues a validated request: to a page, to an error redirect, or to the code. */
export async function proceed(ctx: ProviderContext, req: Request, client: ClientRecord, interaction: AuthorizeInteraction, interactionId?: string): Promise<Response> {
  const request = interaction.request;
  const prompt = new Set(request.prompt);
  const active = await currentSession(ctx, req);
  const now = ctx.now();

  const signedInDuringInteraction = Boolean(interactionId && active && active.session.authTime.getTime() >= interaction.createdAt);
  // A sign-in during this very interaction satisfies prompt=login, max_age and the hint.
  const needLogin = !active || (!signedInDuringInteraction && (
    prompt.has(Prompt.login) || prompt.has(Prompt.selectAccount)
    || (request.maxAge !== undefined && now - active.session.authTime.getTime() > request.maxAge * 1000)
    || (request.idTokenHintSub !== undefined && active.user.id !== request.idTokenHintSub)));
  if (needLogin) {
    if (prompt.has(Prompt.none)) return authorizeErrorResponse(ctx, request, oauthError.loginRequired("end-user authentication is required"));
    return toPage(ctx, Pages.login, interaction, interactionId);
  }

  if (interaction.denied) {
    if (interactionId) await removeInteraction(ctx, interactionId);
    return authorizeErrorResponse(ctx, request, oauthError.accessDenied("end-user denied the authorization request"));
  }
  let granted = interaction.consent?.scopes;
  if (!granted) {
    if (!client.requireConsent) granted = request.scopes;
    else if (!prompt.has(Prompt.consent) && covers(await rememberedScopes(ctx, active, client), request.scopes)) granted = request.scopes;
    else if (prompt.has(Prompt.none)) return authorizeErrorResponse(ctx, request, oauthError.consentRequired("end-user consent is required"));
    else return toPage(ctx, Pages.consent, interaction, interactionId);
  }
  const scopes = request.scopes.filter((s) => granted.includes(s) || s === OPENID);
  if (interaction.consent?.remember && client.allowRememberConsent) await rememberConsent(ctx, active, client, scopes);
  if (interactionId) await removeInteraction(ctx, interactionId);
  if (!active.session.clients.includes(client.clientId)) await ctx.stores.sessions.addClient(active.session.id, client.clientId);

  const code = randomHandle(32);
  const familyId = randomHandle(16);
  const grant: CodeData = {
    clientId: client.clientId, redirectUri: request.redirectUri, codeChallenge: request.codeChallenge,
    subject: active.user.id, sessionId: active.session.id, scopes, resources: request.resources,
    authTime: Math.floor(active.session.authTime.getTime() / 1000), amr: active.session.amr, nonce: request.nonce,
    familyId, familyCreatedAt: now,
  };
  await saveRecord(ctx, {
    key: await recordKey.code(ctx, code), type: GrantRecordType.authorizationCode, clientId: client.clientId, subjectId: active.user.id,
    familyId, data: grant, expiresAt: new Date(now + client.authorizationCodeLifetime * 1000), consumedAt: null,
  });
  return authorizationResponse(request, { code, state: request.state, iss: ctx.settings.issuer });
}

function covers(remembered: Set<string>, requested: string[]): boolean {
  return requested.every((s) => remembered.has(s));
}

async function toPage(ctx: ProviderContext, page: string, interaction: AuthorizeInteraction, existingId?: string): Promise<Response> {
  const id = existingId ?? (await saveInteraction(ctx, interaction));
  return redirect(`${ctx.settings.issuer}${page}?interaction=${encodeURIComponent(id)}`);
}

async function rememberedScopes(ctx: ProviderContext, active: ActiveSession, client: ClientRecord): Promise<Set<string>> {
  const consent = await findLive(ctx, GrantRecordType.consent, recordKey.consent(active.user.id, client.clientId));
  return new Set(consent?.data.scopes ?? []);
}

async function rememberConsent(ctx: ProviderContext, active: ActiveSession, client: ClientRecord, scopes: string[]): Promise<void> {
  await replaceRecord(ctx, {
    key: recordKey.consent(active.user.id, client.clientId), type: GrantRecordType.consent, clientId: client.clientId,
    subjectId: active.user.id, familyId: null, data: { scopes }, expiresAt: null, consumedAt: null,
  });
}
