/** Environment variables, parsed once with their defaults. Documented in README. */
import { z } from "zod";

const seconds = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOSTNAME: z.string().default("0.0.0.0"),
  /** the issuer URL; defaults to http://localhost:PORT */
  PORTCULLIS_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  /** file:<path> (SQLite, the default) or postgresql://... */
  DATABASE_URL: z.string().regex(/^(file:|postgres(ql)?:\/\/)/, "must start with file: or postgresql://").default("file:./data/portcullis.db"),
  /** at least 32 characters; seals signing keys. Without it a generated one is kept in data/secret. */
  PORTCULLIS_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** a configuration file to import at every start */
  PORTCULLIS_IMPORT: z.string().optional(),
  /** seed the demo admin, API and machine client into an empty database */
  PORTCULLIS_DEMO: z.enum(["true", "false"]).default("true").transform((v) => v === "true"),
  PORTCULLIS_KEY_ROTATION_DAYS: z.coerce.number().positive().default(90),
  PORTCULLIS_KEY_ACTIVATION_DELAY: seconds(15 * 60),
  PORTCULLIS_CACHE_TTL: seconds(30),
  PORTCULLIS_DATA_DIR: z.string().default("data"),
  /** seconds a call to an external identity provider (discovery, keys, token, userinfo) may take */
  PORTCULLIS_UPSTREAM_TIMEOUT: z.coerce.number().positive().max(120).default(10),
  /** the largest answer accepted from an external identity provider, in bytes */
  PORTCULLIS_UPSTREAM_MAX_BYTES: z.coerce.number().int().min(1024).max(50_000_000).default(1_048_576),
});

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
