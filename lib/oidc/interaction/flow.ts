/**
 * What happens to a valid authorization request: a short list of steps (sign-in, consent), then
 * the code. A step returns a Response to stop the flow (a page to show, an error for the client)
 * or null when it is satisfied; a new step (another factor, an external sign-in) is one more
 * entry in STEPS.
 *
 * Rules:
 * - sign-in is needed without a session, with prompt=login or select_account, when max_age has
 *   passed since auth_time, and when id_token_hint names another user, unless the user signed in
 *   during this very interaction; prompt=none then answers login_required;
 * - a declined request answers access_denied;
 * - a second factor is needed when the client requires it (require_mfa), the portal does, or
 *   acr_values asks for nothing less (acr.ts), and the session's amr lacks "mfa"; the mfa page
 *   then proves one for the session's user (or leads them to enrol one) and upgrades the
 *   session; prompt=none answers login_required;
 * - consent as consent.ts says; prompt=none then answers consent_required;
 * - the code is bound to the client, redirect_uri, PKCE challenge, session and nonce, and lives
 *   the client's authorization_code_lifetime;
 * - response_type code id_token adds an ID token with c_hash to the code, id_token gives the ID
 *   token alone (OpenID Connect Core 3.3, 3.2): never an access token in the front channel.
 */
import { codeLifetimeFor } from "../profiles";
import { Amr, acrValuesNeedMfa } from "../acr";
import { redirect } from "../authorization-response";
import { respondToClient } from "../jarm";
import type { ValidatedAuthorizeRequest } from "../checks/authorize-request";
import { GrantRecordType, OPENID, Pages, Prompt, ResponseType } from "../constants";
import type { ProviderContext } from "../context";
import { randomHandle } from "../crypto";
import { oauthError, type OAuthError } from "../errors";
import type { ClientRecord } from "../ports";
import { recordKey, saveRecord, type CodeData } from "../records";
import { currentSession, type ActiveSession } from "../session";
import { createIdToken } from "../tokens/user-tokens";
import { subjectFor } from "../subject";
import { consentScopes, grantedScopes, rememberConsent, rememberedScopes } from "./consent";
import { removeInteraction, saveInteraction, type AuthorizeInteraction } from "./store";

interface FlowState {
  ctx: ProviderContext;
  client: ClientRecord;
  interaction: AuthorizeInteraction;
  /** set once the interaction is stored (a page was shown) */
  interactionId?: string;
  active: ActiveSession | null;
  /** the scopes the user granted, set by the consent step */
  granted?: string[];
}

type Step = (state: FlowState) => Promise<Response | null>;

export function authorizeErrorResponse(
  ctx: ProviderContext,
  request: Pick<ValidatedAuthorizeRequest, "clientId" | "redirectUri" | "responseMode" | "state">,
  err: OAuthError,
): Promise<Response> {
  return respondToClient(ctx, request, {
    error: err.error,
    error_description: err.description,
    state: request.state,
    iss: ctx.settings.issuer,
  });
}

const fail = (s: FlowState, err: OAuthError) => authorizeErrorResponse(s.ctx, s.interaction.request, err);

async function toPage(s: FlowState, page: string): Promise<Response> {
  const id = s.interactionId ?? (await saveInteraction(s.ctx, s.interaction));
  return redirect(`${s.ctx.settings.issuer}${page}?interaction=${encodeURIComponent(id)}`);
}

const authenticate: Step = async (s) => {
  const { request } = s.interaction;
  const prompt = new Set(request.prompt);
  const active = s.active;
  // A sign-in during this very interaction satisfies prompt=login, max_age and the hint.
  const signedInDuringInteraction = Boolean(s.interactionId && active && active.session.authTime.getTime() >= s.interaction.createdAt);
  // The hint's sub is the one this client sees (pairwise: subject.ts).
  const otherUser =
    active && request.idTokenHintSub !== undefined && (await subjectFor(s.ctx, s.client, active.user.id)) !== request.idTokenHintSub;
  const needLogin =
    !active ||
    (!signedInDuringInteraction &&
      (prompt.has(Prompt.login) ||
        prompt.has(Prompt.selectAccount) ||
        (request.maxAge !== undefined && s.ctx.now() - active.session.authTime.getTime() > request.maxAge * 1000) ||
        otherUser));
  if (!needLogin) return null;
  if (prompt.has(Prompt.none)) return fail(s, oauthError.loginRequired("end-user authentication is required"));
  return toPage(s, Pages.login);
};

const secondFactor: Step = async (s) => {
  if (s.active!.session.amr.includes(Amr.multiFactor)) return null;
  const needed = s.client.requireMfa || acrValuesNeedMfa(s.interaction.request.acrValues) || (await s.ctx.signInPolicy.requireMfa());
  if (!needed) return null;
  if (s.interaction.request.prompt.includes(Prompt.none)) return fail(s, oauthError.loginRequired("a second factor is required"));
  return toPage(s, Pages.mfa);
};

const declined: Step = async (s) => {
  if (!s.interaction.denied) return null;
  if (s.interactionId) await removeInteraction(s.ctx, s.interactionId);
  return fail(s, oauthError.accessDenied("end-user denied the authorization request"));
};

const consent: Step = async (s) => {
  const { request } = s.interaction;
  const prompt = new Set(request.prompt);
  if (s.interaction.consent) {
    s.granted = s.interaction.consent.scopes;
    return null;
  }
  const remembered =
    s.client.requireConsent && !prompt.has(Prompt.consent) ? await rememberedScopes(s.ctx, s.active!.user.id, s.client) : new Set<string>();
  if (!s.client.requireConsent || (!prompt.has(Prompt.consent) && request.scopes.every((x) => remembered.has(x)))) {
    s.granted = request.scopes;
    return null;
  }
  if (prompt.has(Prompt.none)) return fail(s, oauthError.consentRequired("end-user consent is required"));
  return toPage(s, Pages.consent);
};

/** The steps every authorization request passes, in order. */
const STEPS: readonly Step[] = [authenticate, secondFactor, declined, consent];

/** Runs a new or resumed authorization request through the steps; the code when all are satisfied. */
async function run(
  ctx: ProviderContext,
  req: Request,
  client: ClientRecord,
  interaction: AuthorizeInteraction,
  interactionId?: string,
): Promise<Response> {
  const state: FlowState = { ctx, client, interaction, interactionId, active: await currentSession(ctx, req) };
  for (const step of STEPS) {
    const stop = await step(state);
    if (stop) return stop;
  }
  return issueCode(state);
}

/** A validated authorization request arriving at the authorization endpoint. */
export function startInteraction(
  ctx: ProviderContext,
  req: Request,
  client: ClientRecord,
  request: ValidatedAuthorizeRequest,
): Promise<Response> {
  return run(ctx, req, client, { type: "authorize", request, createdAt: ctx.now() });
}

/** A stored request coming back from a page (login, consent). */
export function resumeInteraction(
  ctx: ProviderContext,
  req: Request,
  client: ClientRecord,
  interaction: AuthorizeInteraction,
  interactionId: string,
): Promise<Response> {
  return run(ctx, req, client, interaction, interactionId);
}

async function issueCode(s: FlowState): Promise<Response> {
  const {
    ctx,
    client,
    interaction: { request },
  } = s;
  const active = s.active!;
  const scopes = request.scopes.filter((x) => s.granted!.includes(x) || x === OPENID);
  if (s.interaction.consent?.remember && client.allowRememberConsent) await rememberConsent(ctx, active.user.id, client, scopes);
  if (s.interactionId) await removeInteraction(ctx, s.interactionId);
  if (!active.session.clients.includes(client.clientId)) await ctx.stores.sessions.addClient(active.session.id, client.clientId);

  const now = ctx.now();
  const code = randomHandle(32);
  const familyId = randomHandle(16);
  const grant: CodeData = {
    clientId: client.clientId,
    redirectUri: request.redirectUri,
    codeChallenge: request.codeChallenge,
    ...(request.dpopJkt ? { dpopJkt: request.dpopJkt } : {}),
    subject: active.user.id,
    sessionId: active.session.id,
    scopes,
    resources: request.resources,
    authTime: Math.floor(active.session.authTime.getTime() / 1000),
    amr: active.session.amr,
    ...(active.session.idp ? { idp: active.session.idp } : {}),
    nonce: request.nonce,
    ...(request.idTokenClaims ? { idTokenClaims: request.idTokenClaims } : {}),
    familyId,
    familyCreatedAt: now,
  };
  const responseType = request.responseType ?? ResponseType.code;
  const withCode = responseType !== ResponseType.idToken;
  if (withCode)
    await saveRecord(ctx, {
      key: await recordKey.code(ctx, code),
      type: GrantRecordType.authorizationCode,
      clientId: client.clientId,
      subjectId: active.user.id,
      familyId,
      data: grant,
      expiresAt: new Date(now + codeLifetimeFor(client) * 1000),
      consumedAt: null,
    });
  const idToken =
    responseType === ResponseType.code
      ? undefined
      : await createIdToken(ctx, client, grant, active.user, withCode ? { code } : { alone: true });
  return respondToClient(ctx, request, {
    ...(withCode ? { code } : {}),
    ...(idToken ? { id_token: idToken } : {}),
    state: request.state,
    iss: ctx.settings.issuer,
  });
}

/** The consent page's decision, recorded on the interaction; the consent step reads it on resume. */
export async function recordConsentDecision(
  ctx: ProviderContext,
  interactionId: string,
  interaction: AuthorizeInteraction,
  decision: { allow: boolean; scopes: string[]; remember: boolean },
): Promise<void> {
  const next: AuthorizeInteraction = decision.allow
    ? {
        ...interaction,
        consent: {
          scopes: grantedScopes(await consentScopes(ctx, interaction.request.scopes), decision.scopes),
          remember: decision.remember,
        },
      }
    : { ...interaction, denied: true };
  await saveInteraction(ctx, next, interactionId);
}
