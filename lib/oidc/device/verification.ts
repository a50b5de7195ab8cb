/**
 * The verification page's side of the device authorization grant (RFC 8628 3.3): the signed-in
 * user enters or confirms a user code, sees which application asks for what, and approves or
 * denies, once.
 *
 * Rules:
 * - only a signed-in user looks codes up; each look-up counts against the rate limits
 *   device.ip (the address) then device.user (the user), so codes cannot be guessed;
 * - an unknown, expired or already decided code reads the same ("unknown");
 * - the page shows the client's name and the requested scopes as the consent page does
 *   (interaction/consent.ts) and the user may decline what consent lets them decline; the user
 *   must always confirm, also with a code from verification_uri_complete (RFC 8628 5.4);
 * - a client or portal that requires a second factor needs a session with amr "mfa" first;
 * - the decision is recorded on the user code in one atomic update (consumed once): the grant
 *   carries the session's user, auth_time, amr and the granted scopes, for the device's poll.
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.3
 */
import { Amr } from "../acr";
import { GrantRecordType } from "../constants";
import type { ProviderContext } from "../context";
import { randomHandle } from "../crypto";
import { consentScopes, grantedScopes, type ScopeView } from "../interaction/consent";
import type { ClientRecord } from "../ports";
import { addressKey, hitInOrder, nameKey } from "../rate-limit";
import { consumeRecord, findLive, recordKey, type StoredRecord } from "../records";
import { sessionFromHandle, type ActiveSession } from "../session";
import { formatUserCode, normalizeUserCode } from "./user-code";

export interface DeviceRequestView {
  /** XXXX-XXXX */
  userCode: string;
  client: { name: string; logoUri: string | null; clientUri: string | null };
  user: { name: string };
  scopes: ScopeView[];
  /** the session must prove a second factor before approving */
  needsSecondFactor: boolean;
}

export type DeviceLookup =
  { ok: true; view: DeviceRequestView } | { ok: false; problem: "signed_out" | "format" | "unknown" | "throttled" };

export type DeviceDecision = "approved" | "denied" | "signed_out" | "unknown" | "second_factor";

interface Found {
  active: ActiveSession;
  client: ClientRecord;
  record: StoredRecord<typeof GrantRecordType.userCode>;
}

async function find(ctx: ProviderContext, active: ActiveSession, code: string): Promise<Found | null> {
  const record = await findLive(ctx, GrantRecordType.userCode, await recordKey.userCode(ctx, code));
  if (!record || record.consumedAt) return null;
  const client = await ctx.config.client(record.clientId);
  return client?.enabled ? { active, client, record } : null;
}

async function needsSecondFactor(ctx: ProviderContext, found: Found): Promise<boolean> {
  if (found.active.session.amr.includes(Amr.multiFactor)) return false;
  return found.client.requireMfa || (await ctx.signInPolicy.requireMfa());
}

/** What the page shows for a typed code; counted against the look-up limits. */
export async function lookUpUserCode(
  ctx: ProviderContext,
  typed: string,
  who: { sessionHandle: string | undefined; ipAddress?: string },
): Promise<DeviceLookup> {
  const active = await sessionFromHandle(ctx, who.sessionHandle);
  if (!active) return { ok: false, problem: "signed_out" };
  const wait = await hitInOrder(ctx.limits, [
    ["device.ip", addressKey(who.ipAddress)],
    ["device.user", nameKey(active.user.id)],
  ]);
  if (wait > 0) return { ok: false, problem: "throttled" };
  const code = normalizeUserCode(typed);
  if (!code) return { ok: false, problem: "format" };
  const found = await find(ctx, active, code);
  if (!found) return { ok: false, problem: "unknown" };
  return {
    ok: true,
    view: {
      userCode: formatUserCode(code),
      client: { name: found.client.clientName, logoUri: found.client.logoUri, clientUri: found.client.clientUri },
      user: { name: (active.user.claims.name as string | undefined) ?? active.user.username },
      scopes: await consentScopes(ctx, found.record.data.scopes),
      needsSecondFactor: await needsSecondFactor(ctx, found),
    },
  };
}

/** Records the signed-in user's decision on a code, once. */
export async function decideDeviceRequest(
  ctx: ProviderContext,
  typed: string,
  sessionHandle: string | undefined,
  decision: { allow: boolean; scopes: string[] },
): Promise<DeviceDecision> {
  const active = await sessionFromHandle(ctx, sessionHandle);
  if (!active) return "signed_out";
  const code = normalizeUserCode(typed);
  const found = code ? await find(ctx, active, code) : null;
  if (!found) return "unknown";
  const { record, client } = found;
  if (!decision.allow) {
    return (await consumeRecord(ctx, record.key, { ...record.data, decision: { approved: false } })) ? "denied" : "unknown";
  }
  if (await needsSecondFactor(ctx, found)) return "second_factor";
  const { session, user } = active;
  const granted = grantedScopes(await consentScopes(ctx, record.data.scopes), decision.scopes);
  const now = ctx.now();
  const grant = {
    subject: user.id,
    sessionId: session.id,
    scopes: granted,
    resources: record.data.resources,
    authTime: Math.floor(session.authTime.getTime() / 1000),
    amr: session.amr,
    ...(session.idp ? { idp: session.idp } : {}),
    familyId: randomHandle(16),
    familyCreatedAt: now,
  };
  if (!(await consumeRecord(ctx, record.key, { ...record.data, decision: { approved: true, grant } }))) return "unknown";
  if (!session.clients.includes(client.clientId)) await ctx.stores.sessions.addClient(session.id, client.clientId);
  return "approved";
}
