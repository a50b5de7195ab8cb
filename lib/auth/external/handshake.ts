/**
 * The handshake with upstream providers, on @auth/core's framework-free `Auth(Request, config)`.
 *
 * Rules:
 * - only two of Auth.js's routes exist here: `start` (ours; it runs Auth.js's signin internally)
 *   and `callback/{provider}`; its session, csrf, providers, signout and page routes answer 404;
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
 * - any failure brings the browser back to the login page with a short code, is audited
 *   (external_login_failed) and logged with its detail, and writes nothing else.
 */
import { Auth, raw, skipCSRFCheck } from "@auth/core";
import type { AuthConfig } from "@auth/core";
import { Pages } from "../../oidc";
import type { Logger } from "../../oidc";
import type { AuditSink } from "../../oidc";
import { authProvider } from "./auth-providers";
import type { ProviderDirectory, ProviderEntry } from "./directory";
import { ExternalSignInError, classifyHandshakeError, type ExternalErrorCode } from "./errors";
import { bindingHash, clearFlowCookie, flowCookie, newFlow, readFlow, sealFlow, type FlowState, type Handoffs, type Signer } from "./flow";
import { IdentityRejected, readIdentity, verifyIdTokenSignature, type VerifiedIdentity } from "./identity";
import { EXTERNAL_BASE_PATH } from "./settings";

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
  interactionExists(id: string): Promise<boolean>;
  audit: AuditSink;
  log: Logger;
  now(): number;
}

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

export function createHandshake(deps: HandshakeDeps) {
  const issuerUrl = new URL(deps.issuer);
  const basePath = issuerUrl.pathname.replace(/\/$/, "") + EXTERNAL_BASE_PATH;
  const secure = issuerUrl.protocol === "https:";

  const loginUrl = (params: Record<string, string>) => `${deps.issuer}${Pages.login}?${new URLSearchParams(params)}`;
  const continueUrl = (interactionId: string, result: string) =>
    `${deps.issuer}${EXTERNAL_BASE_PATH}/continue?${new URLSearchParams({ interaction: interactionId, result })}`;

  async function fail(code: ExternalErrorCode, detail: string, providerId: string | null, interactionId: string | null): Promise<Response> {
    deps.log.warn("external sign-in failed", { provider: providerId, reason: code, detail });
    await deps.audit.record({ type: "external_login_failed", details: { provider: providerId, reason: code, detail } });
    return redirect(loginUrl({ ...(interactionId ? { interaction: interactionId } : {}), external_error: code }), [
      clearFlowCookie(secure),
    ]);
  }

  function config(entry: ProviderEntry, flow: FlowState, captured: { error?: unknown }): AuthConfig & { raw: typeof raw } {
    const cookie = (name: string) => ({
      name: `portcullis.ext.${name}`,
      options: { httpOnly: true, sameSite: "lax" as const, path: basePath, secure },
    });
    return {
      providers: [authProvider(entry)],
      basePath,
      secret: deps.authSecret,
      trustHost: true,
      useSecureCookies: secure,
      // Auth.js's signin runs only from our start route (a GET from the login page, below).
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
    const captured: { error?: unknown } = {};
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

  /** GET start?provider=&interaction=: sends the browser to the provider. */
  async function start(req: Request): Promise<Response> {
    const q = new URL(req.url).searchParams;
    const providerId = (q.get("provider") ?? "").slice(0, 100);
    const interactionId = (q.get("interaction") ?? "").slice(0, 100);
    if (!interactionId || !(await deps.interactionExists(interactionId)))
      return fail("request_expired", "no waiting authorization request", providerId || null, null);
    const entry = providerId ? await deps.directory.get(providerId) : null;
    if (!entry?.provider.enabled)
      return fail("provider_unavailable", entry ? "provider disabled" : "unknown provider", providerId || null, interactionId);
    const flow = newFlow(entry.provider.id, interactionId, deps.now());
    const run = await runAuth(new Request(`${issuerUrl.origin}/`), `signin/${entry.provider.id}`, entry, flow);
    if (!run.ok) {
      const { code, detail } = classifyHandshakeError(run.error);
      return fail(code, detail, entry.provider.id, interactionId);
    }
    if (!run.res.redirect) return fail("server_error", "auth.js gave no authorization URL", entry.provider.id, interactionId);
    return redirect(run.res.redirect, [...authCookies(run.res.cookies), flowCookie(await sealFlow(deps.sign, flow), secure)]);
  }

  /** GET callback/{provider}: the upstream's answer. */
  async function callback(req: Request, providerId: string): Promise<Response> {
    const flow = await readFlow(deps.sign, req, deps.now());
    if (!flow) return fail("bad_state", "no flow cookie (another browser, or expired)", providerId, null);
    if (flow.providerId !== providerId)
      return fail(
        "bad_state",
        `callback for ${providerId} in a flow started for ${flow.providerId} (mix-up)`,
        providerId,
        flow.interactionId,
      );
    const entry = await deps.directory.get(providerId);
    if (!entry?.provider.enabled)
      return fail("provider_unavailable", entry ? "provider disabled" : "unknown provider", providerId, flow.interactionId);
    const run = await runAuth(req, `callback/${providerId}`, entry, flow);
    if (!run.ok) {
      const q = new URL(req.url).searchParams;
      const { code, detail } = classifyHandshakeError(run.error, {
        error: q.get("error")?.slice(0, 100),
        description: q.get("error_description")?.slice(0, 300),
      });
      return fail(code, detail, providerId, flow.interactionId);
    }
    const expected = `${deps.issuer}${EXTERNAL_BASE_PATH}/continue?`;
    // Auth.js sends the browser to its signin page when it could not read a profile.
    if (!run.res.redirect?.startsWith(expected))
      return fail("token_rejected", `auth.js did not complete (${run.res.redirect ?? "no redirect"})`, providerId, flow.interactionId);
    return redirect(run.res.redirect, authCookies(run.res.cookies));
  }

  return {
    basePath,
    /** Answers a request below basePath: start and callback; anything else is 404. */
    async handle(req: Request): Promise<Response | null> {
      const rest = new URL(req.url).pathname.slice(basePath.length);
      if (req.method !== "GET") return null;
      if (rest === "/start") return start(req);
      const m = /^\/callback\/([a-z0-9][a-z0-9_-]{0,62})$/.exec(rest);
      if (m) return callback(req, m[1]!);
      return null;
    },
  };
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
