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
  /** RFC 9126: every client must push its authorization requests (PAR); default false */
  requirePushedAuthorizationRequests: boolean;
  /** dynamic client registration (RFC 7591/7592): who may register and what a registered client may be */
  registration: RegistrationSettings;
  /** RFC 9449 8: every DPoP proof must carry a nonce this server gave out (DPoP-Nonce); default false */
  dpopRequireNonce: boolean;
  /** how old a DPoP proof's iat may be (seconds); its jti is remembered this long; default 300 */
  dpopProofMaxAge: number;
  /** requests per window on authorize, token, introspection, sign-in and the external sign-in routes (lib/oidc/rate-limit.ts) */
  rateLimits: RateLimitSettings;
  /** growing delays after failed sign-ins (lib/auth/throttle.ts) */
  signInThrottle: SignInThrottleSettings;
  /** what users may do on their own account pages (lib/account) */
  account: AccountSettings;
  /** what the sweeper deletes and how often it runs (lib/stores/prisma/sweeper.ts) */
  retention: RetentionSettings;
}

// ---- dynamic client registration (RFC 7591, RFC 7592) ----

export interface RegistrationSettings {
  /**
   * off: no registration endpoint (not in discovery); token: an initial access token an
   * administrator issued is required (the default); open: anyone may register (explicit only)
   */
  mode: "off" | "token" | "open";
  /** the scopes a registered client may be allowed; default openid profile email offline_access */
  allowedScopes: string[];
  /** the grant types a registered client may have; default authorization_code and refresh_token */
  allowedGrantTypes: string[];
}

export const DEFAULT_REGISTRATION: RegistrationSettings = {
  mode: "token",
  allowedScopes: ["openid", "profile", "email", "offline_access"],
  allowedGrantTypes: ["authorization_code", "refresh_token"],
};

// ---- the account area (issue 10) ----

/** The standard OpenID Connect profile claims (Core 5.1) a user may be allowed to edit; never sub or email. */
export const USER_EDITABLE_CLAIMS = [
  "name",
  "given_name",
  "family_name",
  "middle_name",
  "nickname",
  "preferred_username",
  "profile",
  "picture",
  "website",
  "gender",
  "birthdate",
  "zoneinfo",
  "locale",
] as const;
export type UserEditableClaim = (typeof USER_EDITABLE_CLAIMS)[number];

export interface AccountSettings {
  /** the claims users edit on /account; default name, given_name, family_name, picture, locale */
  editableClaims: UserEditableClaim[];
  /** seconds after a sign-in during which sensitive account actions need no new one; default 300 */
  reauthAfter: number;
}

export const DEFAULT_ACCOUNT_SETTINGS: AccountSettings = {
  editableClaims: ["name", "given_name", "family_name", "picture", "locale"],
  reauthAfter: 300,
};

// ---- abuse limits (issue 8, items 3-5) ----

/** What each rate limit counts: the endpoint, then who (client address, client or user name). */
export const RATE_LIMIT_RULES = [
  "authorize.ip",
  "authorize.client",
  "token.ip",
  "token.client",
  "introspection.ip",
  "introspection.client",
  "login.ip",
  "login.user",
  "external.ip",
  /** sign-up form submissions (lib/lifecycle/signup.ts) */
  "signup.ip",
  /** forgot-password requests and resends of a verification link, by address */
  "recovery.ip",
  /** mails with a link sent to one user (verification resend, reset): the per-minute cap */
  "mail.user",
  /** user codes looked up on the device verification page (RFC 8628 5.1), by address then by user */
  "device.ip",
  "device.user",
] as const;
export type RateLimitRule = (typeof RATE_LIMIT_RULES)[number];

export interface RateLimitSettings {
  /** seconds each limit counts over; default 60 */
  window: number;
  /** requests allowed per window and key; 0 turns a rule off */
  perWindow: Record<RateLimitRule, number>;
}

export interface SignInThrottleSettings {
  /** failed sign-ins allowed for one name from one address before delays start; default 5 */
  perNameAndAddress: number;
  /** ... for one name from any address; default 20 */
  perName: number;
  /** ... from one address for any names; default 100 */
  perAddress: number;
  /** the first delay (seconds); it doubles with each further failure; default 30 */
  delay: number;
  /** the longest delay (seconds); default 15 minutes */
  maxDelay: number;
  /** a counter restarts after this long without a failure (seconds); default 1 hour */
  forgetAfter: number;
}

export interface RetentionSettings {
  /** seconds between two sweeps of expired rows; 0: never by itself; default 5 minutes */
  sweepInterval: number;
  /** days audit events are kept; 0: forever; default 90 */
  auditDays: number;
  /**
   * seconds a used code or rotated refresh token is kept past its expiry, so that a late replay
   * still revokes what was issued from it; default 1 day (the longest access token lifetime)
   */
  usedGrantGrace: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  window: 60,
  perWindow: {
    "authorize.ip": 120,
    "authorize.client": 3000,
    "token.ip": 600,
    "token.client": 3000,
    "introspection.ip": 3000,
    "introspection.client": 6000,
    "login.ip": 30,
    "login.user": 10,
    "external.ip": 60,
    "signup.ip": 10,
    "recovery.ip": 20,
    "mail.user": 1,
    "device.ip": 30,
    "device.user": 10,
  },
};

export const DEFAULT_SIGN_IN_THROTTLE: SignInThrottleSettings = {
  perNameAndAddress: 5,
  perName: 20,
  perAddress: 100,
  delay: 30,
  maxDelay: 15 * 60,
  forgetAfter: 60 * 60,
};

export const DEFAULT_RETENTION: RetentionSettings = { sweepInterval: 5 * 60, auditDays: 90, usedGrantGrace: 24 * 60 * 60 };

/** What createProvider accepts: any setting may be left out, nested ones field by field. */
export type ProviderSettingsInput = Partial<Omit<ProviderSettings, "rateLimits" | "signInThrottle" | "retention" | "account">> & {
  issuer: string;
  account?: Partial<AccountSettings>;
  rateLimits?: { window?: number; perWindow?: Partial<Record<RateLimitRule, number>> };
  signInThrottle?: Partial<SignInThrottleSettings>;
  retention?: Partial<RetentionSettings>;
};

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
  requirePushedAuthorizationRequests: false,
  registration: DEFAULT_REGISTRATION,
  dpopRequireNonce: false,
  dpopProofMaxAge: 300,
  rateLimits: DEFAULT_RATE_LIMITS,
  signInThrottle: DEFAULT_SIGN_IN_THROTTLE,
  account: DEFAULT_ACCOUNT_SETTINGS,
  retention: DEFAULT_RETENTION,
};

export function resolveSettings(input: ProviderSettingsInput): ProviderSettings {
  const issuer = input.issuer.replace(/\/+$/, "");
  const url = new URL(issuer);
  if (url.search || url.hash) throw new Error("issuer must not have a query or fragment");
  const { rateLimits, signInThrottle, retention, account, ...flat } = input;
  const settings: ProviderSettings = {
    ...DEFAULT_SETTINGS,
    ...stripUndefined(flat),
    issuer,
    rateLimits: {
      window: rateLimits?.window ?? DEFAULT_RATE_LIMITS.window,
      perWindow: { ...DEFAULT_RATE_LIMITS.perWindow, ...stripUndefined(rateLimits?.perWindow ?? {}) },
    },
    signInThrottle: { ...DEFAULT_SIGN_IN_THROTTLE, ...stripUndefined(signInThrottle ?? {}) },
    retention: { ...DEFAULT_RETENTION, ...stripUndefined(retention ?? {}) },
    account: { ...DEFAULT_ACCOUNT_SETTINGS, ...stripUndefined(account ?? {}) },
  };
  if (settings.retiredKeyRetention < MAX_TOKEN_LIFETIME) {
    throw new Error(`retiredKeyRetention must be at least the longest token lifetime (${MAX_TOKEN_LIFETIME} s)`);
  }
  if (!Number.isInteger(settings.dpopProofMaxAge) || settings.dpopProofMaxAge < 10 || settings.dpopProofMaxAge > 3600) {
    throw new Error("dpopProofMaxAge must be a whole number of seconds from 10 to 3600");
  }
  checkAbuseLimits(settings);
  checkAccount(settings.account);
  return settings;
}

function checkAccount(a: AccountSettings): void {
  const allowed: readonly string[] = USER_EDITABLE_CLAIMS;
  const wrong = a.editableClaims.find((c) => !allowed.includes(c));
  if (wrong !== undefined) throw new Error(`account.editableClaims: ${wrong} is not one of ${USER_EDITABLE_CLAIMS.join(", ")}`);
  if (!Number.isInteger(a.reauthAfter) || a.reauthAfter < 0) throw new Error("account.reauthAfter must be a whole number of seconds");
}

function checkAbuseLimits({ rateLimits, signInThrottle: t }: ProviderSettings): void {
  if (!(rateLimits.window >= 1)) throw new Error("rateLimits.window must be at least 1 second");
  for (const [rule, n] of Object.entries(rateLimits.perWindow)) {
    if (!Number.isInteger(n) || n < 0) throw new Error(`rateLimits.perWindow.${rule} must be a whole number, 0 for no limit`);
  }
  for (const k of ["perNameAndAddress", "perName", "perAddress"] as const) {
    if (!Number.isInteger(t[k]) || t[k] < 1) throw new Error(`signInThrottle.${k} must be at least 1`);
  }
  if (!(t.delay >= 1) || t.maxDelay < t.delay) throw new Error("signInThrottle.delay must be at least 1 second and at most maxDelay");
  // A counter must outlive its longest delay, or a wait would end by forgetting the failures.
  if (t.forgetAfter < t.maxDelay) throw new Error("signInThrottle.forgetAfter must be at least maxDelay");
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
