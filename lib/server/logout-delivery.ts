/**
 * Back-channel logout delivery (OpenID Connect Back-Channel Logout 1.0 section 2.5), off the
 * request path.
 *
 * Rules:
 * - the rows come from the transaction that ended the session (lib/stores/prisma/session-end.ts);
 * - a row is claimed by ONE conditional update (dueAt <= now moves to now + lease, attempts + 1),
 *   so several workers or instances never send the same row at once; the lease outlasts an
 *   attempt's timeout, so a worker that died mid-attempt leaves the row due again later;
 * - each attempt POSTs a fresh logout token (lib/oidc/logout/token.ts) as
 *   application/x-www-form-urlencoded `logout_token=...` through the SSRF guard (outbound.ts);
 *   200 and 204 are success (section 2.8), anything else, a refusal, a timeout or an oversized
 *   answer is a failure;
 * - failures retry after baseDelay * 2^(attempts-1), at most maxDelay, until maxAttempts; then
 *   the row is given up and audited (backchannel_logout_failed); a client that is gone, disabled
 *   or no longer has a backchannel_logout_uri is dropped without a request;
 * - the clock is the provider's (tests move it); deliverDue() runs one round and is what the
 *   server's housekeeping timer and tests call.
 */
import { BackchannelLogout, createLogoutToken, type ClientRecord, type ProviderContext } from "../oidc";
import { postForm, type OutboundOptions } from "./outbound";

export interface LogoutDeliveryRow {
  id: string;
  sessionId: string;
  userId: string;
  clientId: string;
  /** attempts so far, this one included */
  attempts: number;
}

export interface LogoutDeliveryStore {
  /** Claims up to `limit` due rows, each by one conditional update; returns the rows this call won. */
  claimDue(now: Date, leaseUntil: Date, limit: number): Promise<LogoutDeliveryRow[]>;
  retryAt(id: string, dueAt: Date, error: string): Promise<void>;
  finish(id: string, at: Date, delivered: boolean, error?: string): Promise<void>;
}

export interface LogoutDeliverySettings {
  /** PORTCULLIS_ALLOW_PRIVATE_LOGOUT_URIS: loopback and private addresses, and http (development, tests) */
  allowPrivate: boolean;
  /** ms one attempt may take; default 5000 */
  timeoutMs: number;
  /** bytes of a response read at most; default 64 KiB */
  maxBytes: number;
  /** default 6 */
  maxAttempts: number;
  /** ms before the first retry; doubles each time; default 10 s */
  baseDelayMs: number;
  /** ms; default 1 hour */
  maxDelayMs: number;
  /** rows per round; default 50 */
  batchSize: number;
}

export const DEFAULT_LOGOUT_DELIVERY: LogoutDeliverySettings = {
  allowPrivate: false,
  timeoutMs: 5000,
  maxBytes: 64 * 1024,
  maxAttempts: 6,
  baseDelayMs: 10_000,
  maxDelayMs: 3_600_000,
  batchSize: 50,
};

export interface LogoutDeliveryCounts {
  delivered: number;
  retried: number;
  failed: number;
  dropped: number;
}

export interface LogoutDelivery {
  /** One round: every row due now is claimed and attempted once. */
  deliverDue(): Promise<LogoutDeliveryCounts>;
}

/** How long a claim holds a row: past the attempt's own deadline. */
const LEASE_MARGIN_MS = 30_000;

export function createLogoutDelivery(o: {
  ctx: ProviderContext;
  store: LogoutDeliveryStore;
  settings?: Partial<LogoutDeliverySettings>;
  /** tests pass DNS answers for made-up names */
  resolve?: OutboundOptions["resolve"];
}): LogoutDelivery {
  const s = { ...DEFAULT_LOGOUT_DELIVERY, ...o.settings };
  const { ctx, store } = o;
  const outbound: OutboundOptions = { allowPrivate: s.allowPrivate, timeoutMs: s.timeoutMs, maxBytes: s.maxBytes, resolve: o.resolve };

  /** null: delivered; else why it failed. */
  async function attempt(row: LogoutDeliveryRow, client: ClientRecord & { backchannelLogoutUri: string }): Promise<string | null> {
    const token = await createLogoutToken(ctx, client, row);
    try {
      const res = await postForm(client.backchannelLogoutUri, new URLSearchParams({ [BackchannelLogout.parameter]: token }), outbound);
      return res.status === 200 || res.status === 204 ? null : `HTTP ${res.status}`;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  }

  async function deliver(row: LogoutDeliveryRow, counts: LogoutDeliveryCounts): Promise<void> {
    const client = await ctx.config.client(row.clientId);
    if (!client?.enabled || !client.backchannelLogoutUri) {
      await store.finish(row.id, new Date(ctx.now()), false, "client has no backchannel_logout_uri");
      counts.dropped++;
      return;
    }
    const error = await attempt(row, { ...client, backchannelLogoutUri: client.backchannelLogoutUri });
    const at = ctx.now();
    if (error === null) {
      await store.finish(row.id, new Date(at), true);
      counts.delivered++;
    } else if (row.attempts >= s.maxAttempts) {
      await store.finish(row.id, new Date(at), false, error);
      await ctx.stores.audit.record({
        type: "backchannel_logout_failed",
        subject: row.userId,
        clientId: row.clientId,
        details: { sessionId: row.sessionId, attempts: row.attempts, error },
      });
      counts.failed++;
    } else {
      const delay = Math.min(s.maxDelayMs, s.baseDelayMs * 2 ** (row.attempts - 1));
      await store.retryAt(row.id, new Date(at + delay), error);
      counts.retried++;
    }
  }

  return {
    async deliverDue() {
      const now = ctx.now();
      const rows = await store.claimDue(new Date(now), new Date(now + s.timeoutMs + LEASE_MARGIN_MS), s.batchSize);
      const counts: LogoutDeliveryCounts = { delivered: 0, retried: 0, failed: 0, dropped: 0 };
      await Promise.all(rows.map((row) => deliver(row, counts)));
      return counts;
    },
  };
}
