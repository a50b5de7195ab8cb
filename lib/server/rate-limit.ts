/**
 * The rate limits' counters, on rate-limiter-flexible: in this process's memory (the default,
 * right for one instance), or in the database's "RateLimit" table so that several instances
 * behind a load balancer share one count (PostgreSQL; the table comes with the migrations).
 * Each rule counts fixed windows of settings.window seconds. When the database cannot be
 * reached the count falls back to memory for that request rather than failing it.
 */
import pg from "pg";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { RATE_LIMIT_RULES, type RateLimitRule, type RateLimitSettings } from "../oidc";
import type { Logger } from "../oidc";
import type { RateLimiter } from "../oidc";

export type RateLimitStore = "memory" | "database";

export interface ClosableRateLimiter extends RateLimiter {
  close(): Promise<void>;
}

export const RATE_LIMIT_TABLE = "RateLimit";

export function createRateLimiter(
  settings: RateLimitSettings,
  options: { store: RateLimitStore; databaseUrl?: string; log: Logger },
): ClosableRateLimiter {
  let pool: pg.Pool | null = null;
  if (options.store === "database") {
    if (!options.databaseUrl || !/^postgres(ql)?:\/\//.test(options.databaseUrl)) {
      throw new Error("rate limits in the database need PostgreSQL (SQLite runs a single instance: use memory)");
    }
    pool = new pg.Pool({ connectionString: options.databaseUrl, max: 4 });
    pool.on("error", (err) => options.log.warn("rate limit database connection failed", { detail: err.message }));
  }
  const limiters = new Map<RateLimitRule, RateLimiterAbstract>();
  for (const rule of RATE_LIMIT_RULES) {
    const points = settings.perWindow[rule];
    if (!points) continue;
    const base = { points, duration: settings.window, keyPrefix: rule };
    limiters.set(
      rule,
      pool
        ? new RateLimiterPostgres({
            ...base,
            storeClient: pool,
            storeType: "pool",
            tableName: RATE_LIMIT_TABLE,
            tableCreated: true,
            // The sweeper deletes expired rows (lib/stores/prisma/sweeper.ts).
            clearExpiredByTimeout: false,
            insuranceLimiter: new RateLimiterMemory(base),
          })
        : new RateLimiterMemory(base),
    );
  }
  return {
    async hit(rule, key) {
      const limiter = limiters.get(rule);
      if (!limiter) return 0;
      try {
        await limiter.consume(key);
        return 0;
      } catch (rejected) {
        if (rejected instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejected.msBeforeNext / 1000));
        // Neither the store nor the insurance could count: let the request through, say so.
        options.log.error("rate limit could not be counted", {
          rule,
          detail: rejected instanceof Error ? rejected.message : String(rejected),
        });
        return 0;
      }
    },
    close: async () => {
      await pool?.end();
    },
  };
}
