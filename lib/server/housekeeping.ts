/**
 * The server's background rounds: the sweeper every retention.sweepInterval seconds, back-channel
 * logout delivery every logoutDeliveryInterval seconds, and the aggregated client authentication
 * failures written every window. Timers are unref'd (they never keep the process alive); a round
 * never overlaps the previous one of its kind; stop() waits for running rounds and writes what is left.
 */
import type { Logger } from "../oidc";
import { FAILURE_WINDOW_MS, type ClientAuthFailureLog } from "../oidc";
import type { Sweeper } from "../stores/prisma/sweeper";
import type { LogoutDelivery } from "./logout-delivery";

export interface Housekeeping {
  stop(): Promise<void>;
}

export function startHousekeeping(o: {
  sweeper: Sweeper;
  failures: ClientAuthFailureLog;
  sweepInterval: number;
  logoutDelivery?: LogoutDelivery;
  logoutDeliveryInterval?: number;
  log: Logger;
}): Housekeeping {
  const running = new Set<Promise<void>>();
  /** A round that is skipped while its previous one still runs. */
  const round = (what: string, run: () => Promise<unknown>) => {
    let current: Promise<void> | null = null;
    return () => {
      current ??= run()
        .then(
          () => undefined,
          (err: unknown) => {
            o.log.error(`${what} failed`, { detail: err instanceof Error ? err.message : String(err) });
          },
        )
        .finally(() => {
          running.delete(current!);
          current = null;
        });
      running.add(current);
    };
  };
  const timers = [setInterval(() => void o.failures.flush(), FAILURE_WINDOW_MS)];
  if (o.sweepInterval > 0)
    timers.push(
      setInterval(
        round("sweeping expired rows", () => o.sweeper.sweep()),
        o.sweepInterval * 1000,
      ),
    );
  if (o.logoutDelivery && o.logoutDeliveryInterval && o.logoutDeliveryInterval > 0) {
    const delivery = o.logoutDelivery;
    timers.push(
      setInterval(
        round("back-channel logout delivery", () => delivery.deliverDue()),
        o.logoutDeliveryInterval * 1000,
      ),
    );
  }
  for (const t of timers) t.unref();
  return {
    async stop() {
      for (const t of timers) clearInterval(t);
      await Promise.all(running);
      await o.failures.flush();
    },
  };
}
