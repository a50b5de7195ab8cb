/**
 * External sign-in assembled from its parts, without a framework: the handshake routes, the
 * continue step that turns a captured identity into a decided outcome, the password-proof link,
 * and the session start. lib/auth/external/wiring.ts builds one from the process's runtime; tests
 * build their own.
 */
import { Cookies, Pages, Paths } from "../../oidc";
import type { ProviderContext } from "../../oidc";
import { createSigner } from "../../oidc";
import { readCookie, serializeCookie } from "../../oidc";
import { loadInteraction } from "../../oidc";
import { sessionCookieOptions, sessionFromHandle, startSession } from "../../oidc";
import { clientAddressFromHeaders } from "../../server/client-ip";
import { checkFormToken } from "../csrf";
import { LINK_FORM_PURPOSE, decideAccountLink, linkRefusal } from "./account-link";
import { createProviderDirectory, type ProviderDirectory } from "./directory";
import { FLOW_COOKIE, bindingHash, clearFlowCookie, createHandoffs, openFlowValue } from "./flow";
import { createHandshake, type CapturedResult } from "./handshake";
import type { IdentityProviderStore } from "./ports";
import { decideExternalSignIn, linkAfterPasswordProof, type ExternalOutcome, type SignInDeps } from "./sign-in";
import { recentlyAuthenticated } from "../../account/reauth";

export interface ExternalSignInOptions {
  ctx: ProviderContext;
  store: IdentityProviderStore;
  /** the server secret: the flow cookie's and Auth.js's keys are derived from it */
  secret: string;
  timeoutMs: number;
  maxBytes: number;
  cacheTtlMs: number;
  /** the fetch under the bounded one (tests) */
  fetch?: typeof fetch;
  /**
   * The account area's re-authentication (lib/account/reauth.ts): true when the upstream sign-in
   * re-authenticated the browser's own session (the same user); false: sign that user in.
   */
  reauthenticate?: (
    outcome: Extract<ExternalOutcome, { kind: "signed_in" }>,
    meta: { sessionHandle?: string; ipAddress?: string },
  ) => Promise<boolean>;
}

export interface ExternalSignIn {
  directory: ProviderDirectory;
  store: IdentityProviderStore;
  /** Answers GET {issuer}/interaction/external/{start|callback/:id|continue} and POST .../link; null: not ours (404). */
  handle(req: Request): Promise<Response | null>;
  consume(input: { result: string; interaction: string; flowCookie: string | undefined }): Promise<ExternalOutcome>;
  linkAfterPasswordProof(input: {
    pendingLink: string;
    provenUserId: string;
    interaction: string;
    flowCookie: string | undefined;
  }): Promise<ExternalOutcome>;
  /** The email of a link waiting for its password proof, when it belongs to this browser and interaction. */
  pendingLinkEmail(input: { pendingLink: string; interaction: string; flowCookie: string | undefined }): Promise<string | null>;
  /** Starts the browser session of a signed-in outcome (ending the browser's previous one); returns the cookie value. */
  startSession(
    outcome: Extract<ExternalOutcome, { kind: "signed_in" }>,
    meta: { previousHandle?: string; ipAddress?: string; userAgent?: string },
  ): Promise<string>;
}

export async function createExternalSignIn(o: ExternalSignInOptions): Promise<ExternalSignIn> {
  const { ctx } = o;
  const sign = await createSigner(o.secret, "external-flow");
  const authSecret = await (await createSigner(o.secret, "external-handshake"))("auth.js check cookies");
  const handoffs = createHandoffs(ctx.stores.grants, ctx.now);
  const directory = createProviderDirectory({
    store: o.store,
    now: ctx.now,
    ttlMs: o.cacheTtlMs,
    timeoutMs: o.timeoutMs,
    maxBytes: o.maxBytes,
    fetch: o.fetch,
  });
  const deps: SignInDeps = {
    store: o.store,
    audit: ctx.stores.audit,
    handoffs,
    now: ctx.now,
    provider: async (id) => (await directory.get(id))?.provider ?? null,
  };
  const handshake = createHandshake({
    issuer: ctx.settings.issuer,
    authSecret,
    directory,
    handoffs,
    sign,
    account: {
      async session(req) {
        const active = await sessionFromHandle(ctx, readCookie(req, Cookies.session));
        return active ? { sessionId: active.session.id, userId: active.user.id, recent: recentlyAuthenticated(ctx, active) } : null;
      },
      checkForm: (req, token) => checkFormToken(ctx, readCookie(req, Cookies.csrf), LINK_FORM_PURPOSE, token),
      refusal: (userId, providerId) => linkRefusal(deps, userId, providerId),
      link: (identity, who) => decideAccountLink(deps, identity, who),
    },
    limits: ctx.limits,
    audit: ctx.stores.audit,
    log: ctx.log,
    now: ctx.now,
    interactionType: async (id) => {
      const type = (await loadInteraction(ctx, id))?.type ?? "";
      return ["authorize", "account"].includes(type) ? type : null;
    },
  });
  const secure = ctx.settings.issuer.startsWith("https:");
  const flowOf = (value: string | undefined) => openFlowValue(sign, value, ctx.now());
  const loginUrl = (params: Record<string, string>) => `${ctx.settings.issuer}${Pages.login}?${new URLSearchParams(params)}`;

  async function consume(input: { result: string; interaction: string; flowCookie: string | undefined }): Promise<ExternalOutcome> {
    const flow = await flowOf(input.flowCookie);
    if (!flow || flow.interactionId !== input.interaction) return { kind: "refused", code: "bad_state" };
    const hash = await bindingHash(flow.binding);
    const data = await handoffs.take("result", input.result, (d) => d.bindingHash === hash && d.interactionId === flow.interactionId);
    if (!data) return { kind: "refused", code: "bad_state" };
    const captured = data as unknown as CapturedResult;
    return decideExternalSignIn(deps, captured.identity, { interactionId: flow.interactionId, bindingHash: hash });
  }

  const service: ExternalSignIn = {
    directory,
    store: o.store,
    consume,
    async linkAfterPasswordProof(input) {
      const flow = await flowOf(input.flowCookie);
      if (!flow || flow.interactionId !== input.interaction) return { kind: "refused", code: "bad_state" };
      return linkAfterPasswordProof(deps, {
        pendingLink: input.pendingLink,
        provenUserId: input.provenUserId,
        interactionId: flow.interactionId,
        bindingHash: await bindingHash(flow.binding),
      });
    },
    async pendingLinkEmail(input) {
      const flow = await flowOf(input.flowCookie);
      if (!flow || flow.interactionId !== input.interaction) return null;
      const hash = await bindingHash(flow.binding);
      const data = await handoffs.peek("link", input.pendingLink, (d) => d.bindingHash === hash && d.interactionId === flow.interactionId);
      const email = (data as { identity?: { email?: unknown } } | null)?.identity?.email;
      return typeof email === "string" ? email : null;
    },
    async startSession(outcome, meta) {
      const previous = await sessionFromHandle(ctx, meta.previousHandle);
      if (previous) await ctx.stores.sessions.revokeSession(previous.session.id, new Date(ctx.now()));
      const { session, handle } = await startSession(ctx, {
        userId: outcome.userId,
        amr: outcome.amr,
        idp: outcome.providerId,
        ipAddress: meta.ipAddress,
        userAgent: meta.userAgent,
      });
      await ctx.stores.audit.record({
        type: "login_succeeded",
        subject: outcome.userId,
        ipAddress: meta.ipAddress,
        details: { sessionId: session.id, provider: outcome.providerId },
      });
      return handle;
    },
    async handle(req) {
      const path = new URL(req.url).pathname;
      if (req.method === "GET" && path === `${handshake.basePath}/continue`) return continueSignIn(req);
      return handshake.handle(req, { clientIp: clientAddressFromHeaders(req.headers) });
    },
  };

  /**
   * GET continue?interaction=&result=: the default end of an external sign-in until the login
   * flow takes it over: signed in -> session and back to the authorization request; a link to
   * prove -> the login page with external_link= (the flow cookie stays for the proof); refused ->
   * the login page with external_error=.
   */
  async function continueSignIn(req: Request): Promise<Response> {
    const q = new URL(req.url).searchParams;
    const interaction = (q.get("interaction") ?? "").slice(0, 100);
    const outcome = await consume({ result: (q.get("result") ?? "").slice(0, 100), interaction, flowCookie: readCookie(req, FLOW_COOKIE) });
    const headers = new Headers({ "cache-control": "no-store" });
    const started = await loadInteraction(ctx, interaction);
    if (started?.type === "account") return continueAccount(req, started.next, outcome, headers);
    if (outcome.kind === "signed_in") {
      const handle = await service.startSession(outcome, {
        previousHandle: readCookie(req, Cookies.session),
        ipAddress: clientAddressFromHeaders(req.headers),
        userAgent: req.headers.get("user-agent") ?? undefined,
      });
      const { name, maxAge } = sessionCookieOptions(ctx);
      headers.append("set-cookie", serializeCookie(name, handle, { secure, sameSite: "Lax", maxAge }));
      headers.append("set-cookie", clearFlowCookie(secure));
      headers.set("location", `${ctx.settings.issuer}${Paths.authorizeResume}?interaction=${encodeURIComponent(interaction)}`);
    } else if (outcome.kind === "needs_password_proof") {
      headers.set("location", loginUrl({ interaction, external_link: outcome.pendingLink }));
    } else {
      headers.append("set-cookie", clearFlowCookie(secure));
      headers.set("location", loginUrl({ ...(interaction ? { interaction } : {}), external_error: outcome.code }));
    }
    return new Response(null, { status: 303, headers });
  }

  /**
   * The end of an account re-authentication through the upstream: the same user's session is
   * re-authenticated in place; another user is signed in like any sign-in (never counted as the
   * first user's re-authentication); then back to `next` (a local path, checked when the
   * interaction was made). Refused or unlinked: back to the re-authentication page, saying why.
   */
  async function continueAccount(req: Request, next: string, outcome: ExternalOutcome, headers: Headers): Promise<Response> {
    const meta = {
      sessionHandle: readCookie(req, Cookies.session),
      ipAddress: clientAddressFromHeaders(req.headers),
      userAgent: req.headers.get("user-agent") ?? undefined,
    };
    const local = /^\/(?![/\\])/.test(next) ? next : "/account";
    headers.append("set-cookie", clearFlowCookie(secure));
    if (outcome.kind === "signed_in") {
      const same = await o.reauthenticate?.(outcome, meta);
      if (!same) {
        const handle = await service.startSession(outcome, { previousHandle: meta.sessionHandle, ...meta });
        const { name, maxAge } = sessionCookieOptions(ctx);
        headers.append("set-cookie", serializeCookie(name, handle, { secure, sameSite: "Lax", maxAge }));
      }
      headers.set("location", `${ctx.settings.issuer}${local}${same ? `${local.includes("?") ? "&" : "?"}notice=reauthenticated` : ""}`);
    } else {
      const code = outcome.kind === "refused" ? outcome.code : "wrong_account";
      headers.set("location", `${ctx.settings.issuer}/account/reauth?${new URLSearchParams({ next: local, external_error: code })}`);
    }
    return new Response(null, { status: 303, headers });
  }

  return service;
}
