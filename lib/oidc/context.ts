import type { ProviderSettings } from "./config";
import type { GrantHandler } from "./grants/types";
import type { KeyManager } from "./keys";
import type { SecretBox, Sha256 } from "./crypto";
import type { ApiResourceRecord, ClientRecord, ClientRegistrar, IdentityResourceRecord, Stores, UserRecord } from "./ports";
import type { Revocations } from "./revocations";
import type { RateLimiter } from "./rate-limit";
import type { ClientAuthFailureLog } from "./client-auth/failures";

export interface Logger {
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Clients, resources and users as the protocol reads them, cached for settings.cacheTtl. */
export interface ConfigCache {
  client(clientId: string): Promise<ClientRecord | null>;
  /** For checks of a user's standing (exists, not locked) on every token use; not for claims. */
  user(userId: string): Promise<UserRecord | null>;
  apiResources(): Promise<ApiResourceRecord[]>;
  identityResources(): Promise<IdentityResourceRecord[]>;
  /** Drop everything cached (after an admin change in this process). */
  invalidate(): void;
}

/** The portal's sign-in rules that an administrator changes at run time (lib/settings). */
export interface SignInPolicy {
  /** every sign-in needs a second factor (the console's "require a second factor") */
  requireMfa(): Promise<boolean>;
}

/** Everything an endpoint needs; built once by createProvider. */
export interface ProviderContext {
  settings: ProviderSettings;
  stores: Stores;
  keys: KeyManager;
  config: ConfigCache;
  revocations: Revocations;
  grants: ReadonlyMap<string, GrantHandler>;
  log: Logger;
  now(): number;
  /** SHA-256, base64url: the keys of stored handles and secret hashes (injected: node:crypto on the server) */
  sha256: Sha256;
  /** HMAC-SHA-256 under a key derived from the server secret (CSRF tokens), base64url */
  sign(value: string): Promise<string>;
  /** HMAC-SHA-256 under the pairwise salt (subject.ts), base64url */
  pairwise(value: string): Promise<string>;
  /** seals values kept in grants that must be given out again (a refresh token's successor) */
  box: SecretBox;
  urls: {
    token: string;
    introspection: string;
    revocation: string;
    jwks: string;
    authorize: string;
    userinfo: string;
    endSession: string;
    pushedAuthorizationRequest: string;
    deviceAuthorization: string;
    /** RFC 8628 verification_uri: the portal's page */
    deviceVerification: string;
    registration: string;
  };
  /** request counting for the rate limits of settings.rateLimits (none unless the adapter gives one) */
  limits: RateLimiter;
  signInPolicy: SignInPolicy;
  /** failed client authentications, audited in aggregate */
  clientAuthFailures: ClientAuthFailureLog;
  /** dynamic client registration (RFC 7591/7592); null: not served whatever settings.registration says */
  registrar: ClientRegistrar | null;
}
