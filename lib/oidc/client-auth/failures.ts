/**
 * Failed client authentications, audited in aggregate: anyone can fail to authenticate as often
 * as the rate limits allow, and one audit row per failure let them fill the database.
 *
 * Rules:
 * - failures are counted in memory per client_id and reason; when a window (60 s) ends, each
 *   client_id that failed gets ONE `client_authentication_failed` event whose details hold
 *   { count, reasons: { reason: count }, from, to } (ISO times);
 * - a window is written by the first failure after it, or by flush() (the server calls it every
 *   window and at shutdown), so a quiet window costs nothing;
 * - at most 1,000 client_ids and 20 reasons per client are told apart in a window; the rest
 *   count under clientId "(other)" / reason "(other)", so random names cannot grow memory;
 *   client_ids are cut to 200 characters;
 * - several instances each write their own rows: one per client per window per instance.
 */
import type { Logger } from "../context";
import type { AuditSink } from "../ports";

export const CLIENT_AUTH_FAILED = "client_authentication_failed";
export const FAILURE_WINDOW_MS = 60_000;
const MAX_CLIENTS = 1000;
const MAX_REASONS = 20;
const OTHER = "(other)";

export interface ClientAuthFailureLog {
  /** Counts one failure; never waits for the database. */
  record(clientId: string, reason: string): void;
  /** Writes what has been counted so far (one event per client) and starts a new window. */
  flush(): Promise<void>;
}

interface Tally {
  count: number;
  reasons: Map<string, number>;
}

export function createClientAuthFailureLog(
  audit: AuditSink,
  now: () => number,
  log: Logger,
  windowMs = FAILURE_WINDOW_MS,
): ClientAuthFailureLog {
  let from = now();
  let tallies = new Map<string, Tally>();
  let writing: Promise<void> = Promise.resolve();

  const flush = (): Promise<void> => {
    const done = tallies;
    const window = { from, to: now() };
    tallies = new Map();
    from = window.to;
    if (done.size === 0) return writing;
    // Writes are chained so two flushes never interleave their rows.
    writing = writing
      .then(async () => {
        for (const [clientId, t] of done) {
          await audit.record({
            type: CLIENT_AUTH_FAILED,
            clientId,
            details: {
              count: t.count,
              reasons: Object.fromEntries(t.reasons),
              from: new Date(window.from).toISOString(),
              to: new Date(window.to).toISOString(),
            },
          });
        }
      })
      .catch((err: unknown) =>
        log.error("could not write client authentication failures to the audit log", {
          detail: err instanceof Error ? err.message : String(err),
        }),
      );
    return writing;
  };

  return {
    record(clientId, reason) {
      if (now() - from >= windowMs) void flush();
      let id = clientId.slice(0, 200);
      if (!tallies.has(id) && tallies.size >= MAX_CLIENTS) id = OTHER;
      let t = tallies.get(id);
      if (!t) tallies.set(id, (t = { count: 0, reasons: new Map() }));
      t.count++;
      const r = t.reasons.has(reason) || t.reasons.size < MAX_REASONS ? reason : OTHER;
      t.reasons.set(r, (t.reasons.get(r) ?? 0) + 1);
    },
    flush,
  };
}
