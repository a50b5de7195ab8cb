/**
 * The handshake with upstream providers, on @auth/core's framework-free `Auth(Request, config)`.
 *
 * Rules:
 * - only two of Auth.js's routes exist here: `start` and `link` (ours; they run Auth.js's signin
 *   internally) and `callback/{provider}`; its session, csrf, providers, signout and page routes
 *   answer 404;
 * - `start` (GET, from the login page's buttons) begins a sign-in for a waiting authorization
 *   request; `link` (POST only, the account page's form with its CSRF token) begins a link for the
 *   signed-in user: its flow names the session and the user, and the callback goes on only in that
 *   same, still active session (account-link.ts decides the link itself);
 * - start, link and callback count against the client address (rate limit `external.ip`) before
 *   any other work; over it: 429 with Retry-After and a plain page;
 * - the Auth.js config is built per request from the cached provider directory, for the one
 *   provider concerned, with `basePath` {issuer path}/interaction/external, so the callback URL is
 *   always {issuer}/interaction/external/callback/{id}, whatever Host the request came with;
 * - state, PKCE and nonce live in Auth.js's sealed cookies (Path=basePath), bound to the browser
 *   and to the provider that created them (Auth.js refuses another provider's); our flow cookie
 *   names the provider too, and a callback for another provider is refused before any upstream
 *   call (mix-up); RFC 9207 `iss` is checked by oauth4webapi when the upstream sends it;
 * - the ID token: iss, aud, exp, iat, azp and nonce are checked by oauth4webapi, its signature
 *   against the upstream's JWKS here (identity.ts);
 * - Auth.js never keeps a session: the signIn callback stores the verified identity as a
 *   single-use record bound to the flow and answers with our continue URL; no adapter, no JWT;
 * - any failure brings the browser back to the login page (a link: the account page) with a short
 *   code, is audited (external_login_failed) and logged with its detail, and writes nothing else.
 */
import { Auth, raw, skipCSRFCheck } from "@auth/core";
import type { AuthConfig } from "@auth/core";
import { Pages, addressKey, hitInOrder, readBytesLimited } from "../../oidc";
import type { Logger, RateLimiter } from "../../oidc";
import type { AuditSink } from "../../oidc";
import type { LinkOutcome, LinkingUser } from "./account-link";
import { authProvider } from "./auth-providers";
import type { ProviderDirectory, ProviderEntry } from "./directory";
import { ExternalSignInError, classifyHandshakeError, type ExternalErrorCode } from "./errors";
import {
  bindingHash,
  claimedPurpose,
  clearFlowCookie,
  flowCookie,
  newFlow,
  newLinkFlow,
  readFlow,
  sealFlow,
  type FlowState,
  type Handoffs,
  type Signer,
} from "./flow";
import { IdentityRejected, readIdentity, verifyIdTokenSignature, type VerifiedIdentity } from "./identity";
import { ACCOUNT_PAGE, EXTERNAL_BASE_PATH, REAUTH_PAGE } from "./settings";

/** how long the captured identity waits for the continue step */
export const RESULT_SECONDS = 5 * 60;

export interface HandshakeDeps {
  issuer: string;
  /** the key Auth.js seals its check cookies with (derived from the server secret) */
  authSecret: string;
  directory: ProviderDirectory;
  handoffs: Handoffs;
  sign: Signer;
  /** whether an authorization request waits under this interaction id */
  /** the type of the waiting interaction ("authorize", or "account" for a re-authentication), or null */
  interactionType(id: string): Promise<string | null>;
  /** the account page's side of a link: who is signed in, its form's CSRF check, the decisions */
  account: {
    session(req: Request): Promise<LinkingUser | null>;
    checkForm(req: Request, token: string): Promise<boolean>;
    refusal(userId: string, providerId: string): Promise<ExternalErrorCode | null>;
    link(identity: VerifiedIdentity, who: LinkingUser): Promise<LinkOutcome>;
  };
  limits: RateLimiter;
  audit: AuditSink;
  log: Logger;
  now(): number;
}

/** The largest link form accepted (a CSRF token and a provider id). */
const MAX_FORM_BYTES = 4096;

/** Where a failure sends the browser: the login page (of an interaction, when known) or the account page. */
type Back = { to: "login"; interactionId: string | null } | { to: "account" } | { to: "reauth" };
const ACCOUNT: Back = { to: "account" };
const login = (interactionId: string | null): Back => ({ to: "login", interactionId });
/** an account re-authentication's failures go back to its own page, which says why */
const REAUTH: Back = { to: "reauth" };

/** What the signIn callback hands over to the continue step. */
export interface CapturedResult {
  providerId: string;
  interactionId: string;
  bindingHash: string;
  identity: VerifiedIdentity;
}

type AuthCookie = {
  name: string;
  value: string;
  options?: { path?: string; expires?: Date | string; maxAge?: number; httpOnly?: boolean; secure?: boolean; sameSite?: unknown };
};
type InternalResponse = { redirect?: string; cookies?: AuthCookie[]; status?: number };
/** What one Auth.js run reports besides its answer: the error it logged, a link's verified identity. */
type Captured = { error?: unknown; identity?: VerifiedIdentity };

export function createHandshake(deps: HandshakeDeps) {
  const issuerUrl = new URL(deps.issuer);
  const basePath = issuerUrl.pathname.replace(/\/$/, "") + EXTERNAL_BASE_PATH;
  const secure = issuerUrl.protocol === "https:";

  const withQuery = (path: string, params: Record<string, string>) => {
    const q = new URLSearchParams(params).toString();
    return `${deps.issuer}${path}${q ? `?${q}` : ""}`;
  };
  const loginUrl = (params: Record<string, string>) => withQuery(Pages.login, params);
  const continueUrl = (interactionId: string, result: string) =>
    `${deps.issuer}${EXTERNAL_BASE_PATH}/continue?${new URLSearchParams({ interaction: interactionId, result })}`;

  const accountUrl = (params: Record<string, string>) => withQuery(ACCOUNT_PAGE, params);
  const backUrl = (back: Back, params: Record<string, string>) =>
    back.to === "account"
      ? accountUrl(params)
      : back.to === "reauth"
        ? withQuery(REAUTH_PAGE, params)
        : loginUrl({ ...(back.interactionId ? { interaction: back.interactionId } : {}), ...params });

  async function fail(code: ExternalErrorCode, detail: string, providerId: string | null, back: Back): Promise<Response> {
    const purpose = back.to === "account" ? "link" : "sign_in";
    deps.log.warn("external sign-in failed", { provider: providerId, purpose, reason: code, detail });
    await deps.audit.record({
      type: "external_login_failed",
      details: { provider: providerId, reason: code, detail, ...(purpose === "link" ? { purpose } : {}) },
    });
    return redirect(backUrl(back, { [back.to === "account" ? "link_error" : "external_error"]: code }), [clearFlowCookie(secure)]);
  }

  function config(entry: ProviderEntry, flow: FlowState, captured: Captured): AuthConfig & { raw: typeof raw } {
    const cookie = (name: string) => ({
      name: `portcullis.ext.${name}`,
      options: { httpOnly: true, sameSite: "lax" as const, path: basePath, secure },
    });
    return {
      providers: [authProvider(entry, { fresh: flow.fresh })],
      basePath,
      secret: deps.authSecret,
      trustHost: true,
      useSecureCookies: secure,
      // Auth.js's signin runs only from our start and link routes (below; link checks its own CSRF token).
      skipCSRFCheck,
      raw,
      cookies: {
        state: cookie("state"),
        nonce: cookie("nonce"),
        pkceCodeVerifier: cookie("pkce"),
        callbackUrl: cookie("callback-url"),
        csrfToken: cookie("csrf"),
        sessionToken: cookie("unused-session"),
        webauthnChallenge: cookie("unused-webauthn"),
      },
      logger: {
        error: (e) => {
          captured.error ??= e;
        },
        warn: (code) => {
          if (code !== "csrf-disabled") deps.log.warn(`auth.js warning: ${code}`);
        },
        debug: () => {},
      },
      callbacks: {
        signIn: async ({ account, profile }) => {
          if (!account || account.provider !== entry.provider.id)
            throw new ExternalSignInError("bad_state", "callback for another provider");
          const identity = await verifiedIdentity(entry, account as Record<string, unknown>, (profile ?? {}) as Record<string, unknown>);
          // A re-authentication counts only if the OpenID provider authenticated the person during
          // this flow (a minute's clock skew allowed): an answer from its own older session does not.
          if (
            flow.fresh &&
            entry.provider.kind === "oidc" &&
            !(identity.authTime !== null && identity.authTime * 1000 >= flow.startedAt - 60_000)
          )
            throw new ExternalSignInError("not_fresh", `auth_time ${identity.authTime ?? "missing"} is before the re-authentication began`);
          // A link is decided by the callback route itself, after the session is checked again.
          if (flow.purpose === "link") {
            captured.identity = identity;
            return `${deps.issuer}${ACCOUNT_PAGE}`;
          }
          const result: CapturedResult = {
            providerId: entry.provider.id,
            interactionId: flow.interactionId,
            bindingHash: await bindingHash(flow.binding),
            identity,
          };
          const handle = await deps.handoffs.put("result", result as unknown as Record<string, unknown>, RESULT_SECONDS);
          return continueUrl(flow.interactionId, handle);
        },
      },
    };
  }

  /** Runs Auth.js for `path` below basePath; its answer, or the error it failed with. */
  async function runAuth(
    req: Request,
    path: string,
    entry: ProviderEntry,
    flow: FlowState,
    captured: Captured = {},
  ): Promise<{ ok: true; res: InternalResponse } | { ok: false; error: unknown }> {
    const url = new URL(req.url);
    const authReq = new Request(`${issuerUrl.origin}${basePath}/${path}${url.search}`, {
      method: path.startsWith("signin/") ? "POST" : "GET",
      headers: {
        cookie: req.headers.get("cookie") ?? "",
        ...(path.startsWith("signin/") ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      },
      ...(path.startsWith("signin/") ? { body: "" } : {}),
    });
    try {
      const res = (await Auth(authReq, config(entry, flow, captured))) as InternalResponse | Response;
      // A plain Response means Auth.js handled an error itself (a configuration problem).
      if (res instanceof Response) return { ok: false, error: captured.error ?? new Error(`auth.js answered ${res.status}`) };
      return { ok: true, res };
    } catch (err) {
      return { ok: false, error: err };
    }
  }

  async function verifiedIdentity(entry: ProviderEntry, account: Record<string, unknown>, profile: Record<string, unknown>) {
    const p = entry.provider;
    if (p.kind === "oauth2") return readIdentity(p.id, p.claims, profile);
    if (typeof account.id_token !== "string") throw new IdentityRejected("the upstream sent no ID token");
    const discovery = await entry.discovery();
    const idClaims = await verifyIdTokenSignature(account.id_token, await entry.keys(), {
      issuer: p.multiTenant ? null : typeof discovery.issuer === "string" ? discovery.issuer : p.issuer,
      audience: p.clientId,
    });
    // userinfo over the ID token (oauth4webapi checked both have the same sub); amr only from the ID token
    return readIdentity(p.id, p.claims, { ...idClaims, ...profile, amr: idClaims.amr });
  }

  /** Runs Auth.js's signin for the flow and sends the browser to the provider with the flow's cookies. */
  async function begin(entry: ProviderEntry, flow: FlowState, back: Back): Promise<Response> {
    const run = await runAuth(new Request(`${issuerUrl.origin}/`), `signin/${entry.provider.id}`, entry, flow);
    if (!run.ok) {
      const { code, detail } = classifyHandshakeError(run.error);
      return fail(code, detail, entry.provider.id, back);
    }
    if (!run.res.redirect) return fail("server_error", "auth.js gave no authorization URL", entry.provider.id, back);
    return redirect(run.res.redirect, [...authCookies(run.res.cookies), flowCookie(await sealFlow(deps.sign, flow), secure)]);
  }

  /** GET start?provider=&interaction=: sends the browser to the provider. */
  async function start(req: Request): Promise<Response> {
    const q = new URL(req.url).searchParams;
    const providerId = (q.get("provider") ?? "").slice(0, 100);
    const interactionId = (q.get("interaction") ?? "").slice(0, 100);
    const type = interactionId ? await deps.interactionType(interactionId) : null;
    if (!type) return fail("request_expired", "no waiting authorization request", providerId || null, login(null));
    const entry = providerId ? await deps.directory.get(providerId) : null;
    if (!entry?.provider.enabled)
      return fail("provider_unavailable", entry ? "provider disabled" : "unknown provider", providerId || null, login(interactionId));
    return begin(entry, newFlow(entry.provider.id, interactionId, deps.now(), type === "account"), login(interactionId));
  }

  /** POST link (provider=, csrf=): the account page's "Link" button; sends the browser to the provider. */
  async function startLink(req: Request): Promise<Response> {
    const form = await readForm(req);
    const providerId = (form?.get("provider") ?? "").slice(0, 100);
    if (!form || !(await deps.account.checkForm(req, (form.get("csrf") ?? "").slice(0, 200))))
      return redirect(accountUrl({ notice: "expired_form" }), []);
    const who = await deps.account.session(req);
    if (!who) return fail("session_changed", "link started without a session", providerId || null, ACCOUNT);
    // Linking adds a way into the account: it needs a recent sign-in, like unlinking.
    if (!who.recent) return redirect(withQuery(REAUTH_PAGE, { next: ACCOUNT_PAGE }), []);
    const entry = providerId ? await deps.directory.get(providerId) : null;
    if (!entry?.provider.enabled)
      return fail("provider_unavailable", entry ? "provider disabled" : "unknown provider", providerId || null, ACCOUNT);
    const refused = await deps.account.refusal(who.userId, entry.provider.id);
    if (refused) return fail(refused, `link refused before the handshake: ${refused}`, entry.provider.id, ACCOUNT);
    return begin(entry, newLinkFlow(entry.provider.id, who, deps.now()), ACCOUNT);
  }

  /** The session of the request, when it is the one that started the link flow. */
  async function linkingSession(req: Request, flow: FlowState): Promise<LinkingUser | null> {
    const who = await deps.account.session(req);
    return who && who.sessionId === flow.sessionId && who.userId === flow.userId ? who : null;
  }

  /** GET callback/{provider}: the upstream's answer. */
  async function callback(req: Request, providerId: string): Promise<Response> {
    const flow = await readFlow(deps.sign, req, deps.now());
    if (!flow)
      return fail(
        "bad_state",
        "no flow cookie (another browser, or expired)",
        providerId,
        claimedPurpose(req) === "link" ? ACCOUNT : login(null),
      );
    const back = flow.purpose === "link" ? ACCOUNT : flow.fresh ? REAUTH : login(flow.interactionId);
    if (flow.providerId !== providerId)
      return fail("bad_state", `callback for ${providerId} in a flow started for ${flow.providerId} (mix-up)`, providerId, back);
    // Before any call to the upstream: a link goes on only in the session that started it.
    if (flow.purpose === "link" && !(await linkingSession(req, flow)))
      return fail("session_changed", "link callback outside the session that started it", providerId, back);
    const entry = await deps.directory.get(providerId);
    if (!entry?.provider.enabled) return fail("provider_unavailable", entry ? "provider disabled" : "unknown provider", providerId, back);
    const captured: Captured = {};
    const run = await runAuth(req, `callback/${providerId}`, entry, flow, captured);
    if (!run.ok) {
      const q = new URL(req.url).searchParams;
      const { code, detail } = classifyHandshakeError(run.error, {
        error: q.get("error")?.slice(0, 100),
        description: q.get("error_description")?.slice(0, 300),
      });
      return fail(code, detail, providerId, back);
    }
    if (flow.purpose === "link") {
      if (!captured.identity || run.res.redirect !== `${deps.issuer}${ACCOUNT_PAGE}`)
        return fail("token_rejected", `auth.js did not complete (${run.res.redirect ?? "no redirect"})`, providerId, back);
      // Checked again: the session may have ended during the token exchange.
      const who = await linkingSession(req, flow);
      if (!who) return fail("session_changed", "the session ended during the link", providerId, back);
      const outcome = await deps.account.link(captured.identity, who);
      return redirect(accountUrl(outcome.kind === "linked" ? { notice: "linked" } : { link_error: outcome.code }), [
        ...authCookies(run.res.cookies),
        clearFlowCookie(secure),
      ]);
    }
    const expected = `${deps.issuer}${EXTERNAL_BASE_PATH}/continue?`;
    // Auth.js sends the browser to its signin page when it could not read a profile.
    if (!run.res.redirect?.startsWith(expected))
      return fail("token_rejected", `auth.js did not complete (${run.res.redirect ?? "no redirect"})`, providerId, back);
    return redirect(run.res.redirect, authCookies(run.res.cookies));
  }

  /** Where the "too many requests" page leads back to. */
  async function backOf(req: Request, route: "start" | "link" | "callback"): Promise<string> {
    if (route === "link") return accountUrl({});
    if (route === "start") return backUrl(login(new URL(req.url).searchParams.get("interaction")?.slice(0, 100) || null), {});
    const flow = await readFlow(deps.sign, req, deps.now());
    return flow?.purpose === "link" ? accountUrl({}) : backUrl(login(flow?.interactionId || null), {});
  }

  return {
    basePath,
    /** Answers a request below basePath: start, link and callback; anything else is null (404). */
    async handle(req: Request, info: { clientIp?: string } = {}): Promise<Response | null> {
      const rest = new URL(req.url).pathname.slice(basePath.length);
      const m = /^\/callback\/([a-z0-9][a-z0-9_-]{0,62})$/.exec(rest);
      const route =
        req.method === "GET" && rest === "/start"
          ? "start"
          : req.method === "POST" && rest === "/link"
            ? "link"
            : req.method === "GET" && m
              ? "callback"
              : null;
      if (!route) return null;
      const wait = await hitInOrder(deps.limits, [["external.ip", addressKey(info.clientIp)]]);
      if (wait > 0) {
        deps.log.warn("external sign-in rate limited", { route, seconds: wait });
        return tooManyRequests(wait, await backOf(req, route));
      }
      if (route === "start") return start(req);
      if (route === "link") return startLink(req);
      return callback(req, m![1]!);
    },
  };
}

/** The form of a POST, or null when it is not one or is too large. */
async function readForm(req: Request): Promise<URLSearchParams | null> {
  if (!(req.headers.get("content-type") ?? "").startsWith("application/x-www-form-urlencoded")) return null;
  try {
    const bytes = await readBytesLimited(req.body, MAX_FORM_BYTES, () => new Error("form too large"));
    return new URLSearchParams(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}

/** Over the rate limit: 429 with Retry-After (RFC 6585) and a plain page leading back. */
function tooManyRequests(retryAfter: number, back: string): Response {
  const href = back.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
  const body =
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>Too many attempts · Portcullis</title></head><body>` +
    `<h1>Too many sign-in attempts</h1><p>Wait ${retryAfter} seconds, then try again.</p>` +
    `<p><a href="${href}">Back</a></p></body></html>`;
  return new Response(body, {
    status: 429,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "retry-after": String(retryAfter) },
  });
}

function redirect(location: string, cookies: string[]): Response {
  const headers = new Headers({ location, "cache-control": "no-store" });
  for (const c of cookies) headers.append("set-cookie", c);
  return new Response(null, { status: 303, headers });
}

function authCookies(cookies: AuthCookie[] | undefined): string[] {
  return (cookies ?? []).map((c) => {
    const o = c.options ?? {};
    const parts = [`${c.name}=${encodeURIComponent(c.value)}`, `Path=${o.path ?? "/"}`];
    if (o.expires) parts.push(`Expires=${new Date(o.expires).toUTCString()}`);
    if (o.maxAge !== undefined) parts.push(`Max-Age=${Math.floor(o.maxAge)}`);
    if (o.httpOnly !== false) parts.push("HttpOnly");
    if (o.secure) parts.push("Secure");
    parts.push("SameSite=Lax");
    return parts.join("; ");
  });
}
