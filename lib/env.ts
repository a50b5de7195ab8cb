/** Environment variables, parsed once with their defaults. Documented in README. */
import { z } from "zod";
import {
  DEFAULT_RATE_LIMITS,
  DEFAULT_RETENTION,
  DEFAULT_SIGN_IN_THROTTLE,
  RATE_LIMIT_RULES,
  type ProviderSettings,
  type RateLimitRule,
  type RegistrationSettings,
  type RetentionSettings,
} from "./oidc";

const seconds = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);
const count = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const spaced = (fallback: string) =>
  z
    .string()
    .max(4000)
    .default(fallback)
    .transform((v) => [...new Set(v.split(/\s+/).filter(Boolean))]);

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOSTNAME: z.string().default("0.0.0.0"),
  /** the issuer URL; defaults to http://localhost:PORT */
  PORTCULLIS_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  /** file:<path> (SQLite, the default) or postgresql://... */
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, "must start with file: or postgresql://")
    .default("file:./data/portcullis.db"),
  /** at least 32 characters; seals signing keys. Without it a generated one is kept in data/secret. */
  PORTCULLIS_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** the salt of pairwise subject identifiers; without it one is derived from PORTCULLIS_SECRET */
  PORTCULLIS_PAIRWISE_SALT: z.string().min(32, "must be at least 32 characters").optional(),
  /** a configuration file to import at every start */
  PORTCULLIS_IMPORT: z.string().optional(),
  /** seed the demo admin, API and machine client into an empty database */
  PORTCULLIS_DEMO: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  /** RFC 9126: every client sends its authorization requests through the PAR endpoint */
  PORTCULLIS_REQUIRE_PAR: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  /** RFC 7591: off, token (an initial access token is required; default) or open (anyone may register) */
  PORTCULLIS_REGISTRATION: z.enum(["off", "token", "open"]).default("token"),
  /** the scopes a dynamically registered client may be allowed, space-separated */
  PORTCULLIS_REGISTRATION_SCOPES: spaced("openid profile email offline_access"),
  /** the grant types a dynamically registered client may have, space-separated */
  PORTCULLIS_REGISTRATION_GRANT_TYPES: spaced("authorization_code refresh_token"),
  /** RFC 9449 8: DPoP proofs must carry a server nonce (use_dpop_nonce answers give one) */
  PORTCULLIS_DPOP_REQUIRE_NONCE: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  PORTCULLIS_KEY_ROTATION_DAYS: z.coerce.number().positive().default(90),
  PORTCULLIS_KEY_ACTIVATION_DELAY: seconds(15 * 60),
  PORTCULLIS_CACHE_TTL: seconds(30),
  PORTCULLIS_DATA_DIR: z.string().default("data"),
  /** the largest admin API request body in bytes (413 past it) */
  PORTCULLIS_ADMIN_MAX_BODY: z.coerce
    .number()
    .int()
    .min(1024)
    .max(16 * 1024 * 1024)
    .default(64 * 1024),
  // ---- abuse limits (README "Sign-in throttling, rate limits and retention") ----
  /** on: the client address is the last X-Forwarded-For hop (behind one trusted proxy); off: the socket's */
  PORTCULLIS_TRUST_PROXY: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  /** memory (one instance) or database (PostgreSQL: instances share the counts) */
  PORTCULLIS_RATE_LIMIT_STORE: z.enum(["memory", "database"]).default("memory"),
  PORTCULLIS_RATE_LIMIT_WINDOW: z.coerce.number().int().positive().default(DEFAULT_RATE_LIMITS.window),
  ...rateLimitVariables(),
  PORTCULLIS_SIGNIN_FREE_FAILURES: count(DEFAULT_SIGN_IN_THROTTLE.perNameAndAddress),
  PORTCULLIS_SIGNIN_FREE_FAILURES_PER_NAME: count(DEFAULT_SIGN_IN_THROTTLE.perName),
  PORTCULLIS_SIGNIN_FREE_FAILURES_PER_ADDRESS: count(DEFAULT_SIGN_IN_THROTTLE.perAddress),
  PORTCULLIS_SIGNIN_DELAY: z.coerce.number().int().positive().default(DEFAULT_SIGN_IN_THROTTLE.delay),
  PORTCULLIS_SIGNIN_MAX_DELAY: z.coerce.number().int().positive().default(DEFAULT_SIGN_IN_THROTTLE.maxDelay),
  PORTCULLIS_SWEEP_INTERVAL: seconds(DEFAULT_RETENTION.sweepInterval),
  PORTCULLIS_AUDIT_RETENTION_DAYS: z.coerce.number().int().nonnegative().default(DEFAULT_RETENTION.auditDays),
  /** seconds a call to an external identity provider (discovery, keys, token, userinfo) may take */
  PORTCULLIS_UPSTREAM_TIMEOUT: z.coerce.number().positive().max(120).default(10),
  /** smtp://user:password@host:587 or smtps://...: where mail goes; without it mail is kept in the console's outbox */
  PORTCULLIS_SMTP_URL: z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL" }).optional(),
  /** the From of every message; defaults to Portcullis <no-reply@the issuer's host> */
  PORTCULLIS_MAIL_FROM: z.string().min(3).max(320).optional(),
  /** the largest answer accepted from an external identity provider, in bytes */
  /**
   * Back-channel logout may call loopback, private and link-local addresses, and http URLs
   * (development and tests only: it lets a client's registered URL reach the internal network)
   */
  PORTCULLIS_ALLOW_PRIVATE_LOGOUT_URIS: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  /** seconds between rounds of back-channel logout delivery (the outbox is kept in the database); 0: none */
  PORTCULLIS_LOGOUT_DELIVERY_INTERVAL: z.coerce.number().nonnegative().max(3600).default(2),
  PORTCULLIS_UPSTREAM_MAX_BYTES: z.coerce.number().int().min(1024).max(50_000_000).default(1_048_576),
});

/** PORTCULLIS_RATE_LIMIT_TOKEN_IP for rule "token.ip", and so on: requests per window, 0 for none. */
export function rateLimitVariable(rule: RateLimitRule): string {
  return `PORTCULLIS_RATE_LIMIT_${rule.replace(".", "_").toUpperCase()}`;
}

function rateLimitVariables() {
  return Object.fromEntries(
    RATE_LIMIT_RULES.map((rule) => [
      rateLimitVariable(rule),
      z.coerce.number().int().nonnegative().default(DEFAULT_RATE_LIMITS.perWindow[rule]),
    ]),
  ) as Record<`PORTCULLIS_RATE_LIMIT_${string}`, z.ZodDefault<z.ZodCoercedNumber<unknown>>>;
}

/** The abuse-limit settings of the environment, in the protocol core's typed form. */
/** The registration settings of the environment (lib/oidc/config.ts RegistrationSettings). */
export function registrationSettings(e: Env): RegistrationSettings {
  return {
    mode: e.PORTCULLIS_REGISTRATION,
    allowedScopes: e.PORTCULLIS_REGISTRATION_SCOPES,
    allowedGrantTypes: e.PORTCULLIS_REGISTRATION_GRANT_TYPES,
  };
}

export function abuseSettings(e: Env): Pick<ProviderSettings, "rateLimits" | "signInThrottle"> & { retention: Partial<RetentionSettings> } {
  const vars = e as unknown as Record<string, number>;
  return {
    rateLimits: {
      window: e.PORTCULLIS_RATE_LIMIT_WINDOW,
      perWindow: Object.fromEntries(RATE_LIMIT_RULES.map((rule) => [rule, vars[rateLimitVariable(rule)]!])) as Record<
        RateLimitRule,
        number
      >,
    },
    signInThrottle: {
      ...DEFAULT_SIGN_IN_THROTTLE,
      perNameAndAddress: e.PORTCULLIS_SIGNIN_FREE_FAILURES,
      perName: e.PORTCULLIS_SIGNIN_FREE_FAILURES_PER_NAME,
      perAddress: e.PORTCULLIS_SIGNIN_FREE_FAILURES_PER_ADDRESS,
      delay: e.PORTCULLIS_SIGNIN_DELAY,
      maxDelay: e.PORTCULLIS_SIGNIN_MAX_DELAY,
      forgetAfter: Math.max(DEFAULT_SIGN_IN_THROTTLE.forgetAfter, e.PORTCULLIS_SIGNIN_MAX_DELAY),
    },
    retention: { sweepInterval: e.PORTCULLIS_SWEEP_INTERVAL, auditDays: e.PORTCULLIS_AUDIT_RETENTION_DAYS },
  };
}

export type Env = z.infer<typeof schema> & { issuer: string };

let parsed: Env | null = null;

/** The parsed environment; throws one message listing every bad variable. */
export function env(source: NodeJS.ProcessEnv = process.env): Env {
  if (parsed && source === process.env) return parsed;
  const result = schema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`invalid environment:\n${lines.join("\n")}`);
  }
  const value = { ...result.data, issuer: (result.data.PORTCULLIS_ISSUER ?? `http://localhost:${result.data.PORT}`).replace(/\/+$/, "") };
  if (source === process.env) parsed = value;
  return value;
}
