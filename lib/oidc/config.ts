/** The protocol core's settings, with their defaults. Environment parsing lives in lib/env.ts. */
export interface ProviderSettings {
  /** the issuer identifier: https URL without query or fragment */
  issuer: string;
  /** how often signing keys rotate by themselves (seconds); default 90 days */
  keyRotationPeriod: number;
  /** how long a new key is published in JWKS before it signs (seconds); default 15 minutes */
  keyActivationDelay: number;
  /** how long a retired key stays in JWKS: at least the longest token lifetime (seconds); default 1 day */
  retiredKeyRetention: number;
  /** how long clients, resources and keys are cached in memory (seconds); default 30 */
  cacheTtl: number;
  /** allowed clock difference with clients for assertion times (seconds); default 60 */
  clockSkew: number;
  /** JWKS and discovery Cache-Control max-age (seconds); default 300 */
  metadataMaxAge: number;
  /** lifetime of a browser session (seconds); default 8 hours */
  sessionLifetime: number;
  /** how long a login or consent page may take (seconds); default 30 minutes */
  interactionLifetime: number;
}

export const MAX_TOKEN_LIFETIME = 24 * 60 * 60;

export const DEFAULT_SETTINGS: Omit<ProviderSettings, "issuer"> = {
  keyRotationPeriod: 90 * 24 * 60 * 60,
  keyActivationDelay: 15 * 60,
  retiredKeyRetention: MAX_TOKEN_LIFETIME,
  cacheTtl: 30,
  clockSkew: 60,
  metadataMaxAge: 300,
  sessionLifetime: 8 * 60 * 60,
  interactionLifetime: 30 * 60,
};

export function resolveSettings(input: Partial<ProviderSettings> & { issuer: string }): ProviderSettings {
  const issuer = input.issuer.replace(/\/+$/, "");
  const url = new URL(issuer);
  if (url.search || url.hash) throw new Error("issuer must not have a query or fragment");
  const settings = { ...DEFAULT_SETTINGS, ...stripUndefined(input), issuer };
  if (settings.retiredKeyRetention < MAX_TOKEN_LIFETIME) {
    throw new Error(`retiredKeyRetention must be at least the longest token lifetime (${MAX_TOKEN_LIFETIME} s)`);
  }
  return settings;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
