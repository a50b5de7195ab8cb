/**
 * The server's background rounds: the sweeper every retention.sweepInterval seconds, and the
 * aggregated client authentication failures written every window. Timers are unref'd (they never
 * keep the process alive); a round never overlaps the previous one; stop() writes what is left.
 */
import type { Logger } from "../oidc";
import { FAILURE_WINDOW_MS, type ClientAuthFailureLog } from "../oidc";
import type { Sweeper } from "../stores/prisma/sweeper";

export interface Housekeeping {
  stop(): Promise<void>;
}

export function startHousekeeping(o: {
  sweeper: Sweeper;
  failures: ClientAuthFailureLog;
  sweepInterval: number;
  log: Logger;
}): Housekeeping {
  let sweeping: Promise<void> | null = null;
  const sweep = () => {
    sweeping ??= o.sweeper
      .sweep()
      .then(
        () => undefined,
        (err: unknown) => {
          o.log.error("sweeping expired rows failed", { detail: err instanceof Error ? err.message : String(err) });
        },
      )
      .finally(() => {
        sweeping = null;
      });
  };
  const timers = [setInterval(() => void o.failures.flush(), FAILURE_WINDOW_MS)];
  if (o.sweepInterval > 0) timers.push(setInterval(sweep, o.sweepInterval * 1000));
  for (const t of timers) t.unref();
  return {
    async stop() {
      for (const t of timers) clearInterval(t);
      await sweeping;
      await o.failures.flush();
    },
  };
}
