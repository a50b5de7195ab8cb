/**
 * What ties the steps of one external sign-in together, across instances.
 *
 * Rules:
 * - the browser that starts a sign-in gets a flow cookie (HttpOnly, SameSite=Lax, Path=/interaction,
 *   15 minutes): the provider, the purpose, the interaction (a sign-in) or the session and user
 *   (a link from the account page) and a random binding, signed with a key derived from the
 *   server secret;
 * - what the handshake learned (the verified identity) and a link waiting for a password proof are
 *   handed over as server-side records (persisted grants) named by a random handle; a record
 *   keeps only the hash of the binding, so its handle alone is useless without the cookie;
 * - a record is taken once: the database's consume (update-where-unconsumed) decides, so two
 *   concurrent uses cannot both succeed; it expires after a few minutes.
 */
import { base64url, fromBase64url, randomHandle, sha256, timingSafeEqual } from "../../oidc";
import { readCookie } from "../../oidc";
import type { GrantStore } from "../../oidc";

export const FLOW_COOKIE = "portcullis.external";
export const FLOW_COOKIE_PATH = "/interaction";
/** as long as Auth.js keeps its state, PKCE and nonce cookies */
export const FLOW_LIFETIME_SECONDS = 15 * 60;

/** sign_in: for a waiting authorization request; link: adds a login to the signed-in user (account page). */
export type FlowPurpose = "sign_in" | "link";

export interface FlowState {
  providerId: string;
  purpose: FlowPurpose;
  /** sign_in: the authorization request waiting for it; link: "" */
  interactionId: string;
  /** link: the session that started it and its user (the callback must come back in it); sign_in: "" */
  sessionId: string;
  userId: string;
  /** random; records made during this flow keep its hash */
  binding: string;
  startedAt: number;
  /**
   * an account re-authentication: the upstream is asked to authenticate the person again
   * (max_age=0, prompt=login) and its ID token's auth_time must not be older than the flow
   */
  fresh: boolean;
}

export type Signer = (value: string) => Promise<string>;

export function newFlow(providerId: string, interactionId: string, now: number, fresh = false): FlowState {
  return { providerId, purpose: "sign_in", interactionId, sessionId: "", userId: "", binding: randomHandle(32), startedAt: now, fresh };
}

export function newLinkFlow(providerId: string, session: { sessionId: string; userId: string }, now: number): FlowState {
  return { providerId, purpose: "link", interactionId: "", ...session, binding: randomHandle(32), startedAt: now, fresh: false };
}

export async function sealFlow(sign: Signer, flow: FlowState): Promise<string> {
  const fields = [
    flow.providerId,
    flow.interactionId,
    flow.binding,
    flow.startedAt,
    flow.purpose,
    flow.sessionId,
    flow.userId,
    flow.fresh ? 1 : 0,
  ];
  const body = base64url(new TextEncoder().encode(JSON.stringify(fields)));
  return `${body}.${await sign(`flow:${body}`)}`;
}

/** The flow of the request's cookie, if it is ours, intact and not older than its lifetime. */
export function readFlow(sign: Signer, req: Request, now: number): Promise<FlowState | null> {
  return openFlowValue(sign, readCookie(req, FLOW_COOKIE), now);
}

/** The flow a cookie value holds (for callers that read cookies themselves). */
export async function openFlowValue(sign: Signer, value: string | undefined, now: number): Promise<FlowState | null> {
  if (!value || value.length > 1000) return null;
  const [body, mac] = value.split(".");
  if (!body || !mac || !timingSafeEqual(await sign(`flow:${body}`), mac)) return null;
  try {
    const [providerId, interactionId, binding, startedAt, purpose = "sign_in", sessionId = "", userId = "", fresh = 0] = JSON.parse(
      new TextDecoder().decode(fromBase64url(body)),
    ) as [string, string, string, number, FlowPurpose?, string?, string?, number?];
    if (typeof startedAt !== "number" || now - startedAt > FLOW_LIFETIME_SECONDS * 1000 || startedAt > now + 60_000) return null;
    if (purpose !== "sign_in" && purpose !== "link") return null;
    return { providerId, purpose, interactionId, sessionId, userId, binding, startedAt, fresh: fresh === 1 };
  } catch {
    return null;
  }
}

/**
 * What a cookie that failed its checks claims to be for, read without trusting it: only to choose
 * which of our own pages shows the error (the account page or the login page), never to act.
 */
export function claimedPurpose(req: Request): FlowPurpose {
  const body = readCookie(req, FLOW_COOKIE)?.split(".")[0];
  if (!body || body.length > 1000) return "sign_in";
  try {
    return (JSON.parse(new TextDecoder().decode(fromBase64url(body))) as unknown[])[4] === "link" ? "link" : "sign_in";
  } catch {
    return "sign_in";
  }
}

export function flowCookie(value: string, secure: boolean): string {
  return [
    `${FLOW_COOKIE}=${value}`,
    `Path=${FLOW_COOKIE_PATH}`,
    "HttpOnly",
    "SameSite=Lax",
    ...(secure ? ["Secure"] : []),
    `Max-Age=${FLOW_LIFETIME_SECONDS}`,
  ].join("; ");
}

export function clearFlowCookie(secure: boolean): string {
  return [`${FLOW_COOKIE}=`, `Path=${FLOW_COOKIE_PATH}`, "HttpOnly", "SameSite=Lax", ...(secure ? ["Secure"] : []), "Max-Age=0"].join("; ");
}

export async function bindingHash(binding: string): Promise<string> {
  return sha256(`external-binding:${binding}`);
}

const HANDOFF_TYPES = { result: "external_result", link: "external_link" } as const;
export type HandoffKind = keyof typeof HANDOFF_TYPES;

export interface Handoffs {
  /** Stores `data` for `ttlSeconds`; returns the handle that names it. */
  put(kind: HandoffKind, data: Record<string, unknown>, ttlSeconds: number): Promise<string>;
  /**
   * The record's data, once: null when unknown, expired, already taken, or refused by `accept`
   * (checked before it is consumed, so a wrong browser does not burn it).
   */
  take(kind: HandoffKind, handle: string, accept: (data: Record<string, unknown>) => boolean): Promise<Record<string, unknown> | null>;
  /** The record's data without taking it (to show a page about it): null when `take` would refuse. */
  peek(kind: HandoffKind, handle: string, accept: (data: Record<string, unknown>) => boolean): Promise<Record<string, unknown> | null>;
}

export function createHandoffs(grants: GrantStore, now: () => number): Handoffs {
  const key = async (kind: HandoffKind, handle: string) => `${HANDOFF_TYPES[kind]}:${await sha256(handle)}`;
  const peek: Handoffs["peek"] = async (kind, handle, accept) => {
    if (!handle || handle.length > 100) return null;
    const g = await grants.findGrant(await key(kind, handle));
    if (!g || g.type !== HANDOFF_TYPES[kind] || g.consumedAt || (g.expiresAt && g.expiresAt.getTime() <= now())) return null;
    return accept(g.data) ? g.data : null;
  };
  return {
    peek,
    async put(kind, data, ttlSeconds) {
      const handle = randomHandle(32);
      await grants.saveGrant({
        key: await key(kind, handle),
        type: HANDOFF_TYPES[kind],
        clientId: "",
        subjectId: null,
        familyId: null,
        data,
        expiresAt: new Date(now() + ttlSeconds * 1000),
        consumedAt: null,
      });
      return handle;
    },
    async take(kind, handle, accept) {
      const data = await peek(kind, handle, accept);
      if (!data) return null;
      const k = await key(kind, handle);
      if (!(await grants.consumeGrant(k, new Date(now())))) return null;
      await grants.removeGrant(k);
      return data;
    },
  };
}
