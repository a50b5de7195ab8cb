/**
 * What the protocol core needs from storage. Implementations: lib/stores/prisma (production)
 * and lib/stores/memory (tests); both pass tests/stores/store-suite.ts.
 */
import type { AccessTokenFormatName, ClientAuthMethodName, ClientProfileName, SigningAlg } from "./constants";

export interface HashedSecret {
  /** "sha256:<base64url>" */
  hash: string;
  expiresAt: Date | null;
}

export interface ClientRecord {
  clientId: string;
  clientName: string;
  enabled: boolean;
  /** OpenID Connect Registration application_type: native apps may use any loopback port */
  applicationType: "web" | "native";
  tokenEndpointAuthMethod: ClientAuthMethodName;
  grantTypes: string[];
  /** the response types it may use at the authorization endpoint (RESPONSE_TYPES) */
  responseTypes: string[];
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  allowedScopes: string[];
  /** public keys for private_key_jwt */
  jwks: { keys: Record<string, unknown>[] } | null;
  /** the only alg its client assertions may use (RFC 7591); null: any of CLIENT_ASSERTION_ALGS */
  tokenEndpointAuthSigningAlg: string | null;
  /** seconds; the max_age of requests that give none (OpenID Connect Registration) */
  defaultMaxAge: number | null;
  accessTokenFormat: AccessTokenFormatName;
  /** seconds */
  accessTokenLifetime: number;
  idTokenLifetime: number;
  authorizationCodeLifetime: number;
  refreshTokenAbsoluteLifetime: number;
  refreshTokenSlidingLifetime: number;
  /** seconds during which a rotated refresh token still yields the same successor */
  refreshTokenReuseGrace: number;
  allowOfflineAccess: boolean;
  requirePkce: boolean;
  requireConsent: boolean;
  allowRememberConsent: boolean;
  /** the user claims of the granted identity scopes in the ID token too (most relying-party libraries read the profile there) */
  idTokenUserClaims: boolean;
  /** every sign-in to this client needs a second factor: amr "mfa" (portcullis.require_mfa) */
  requireMfa: boolean;
  /** RFC 9126: authorization requests only through the PAR endpoint */
  requirePushedAuthorizationRequests: boolean;
  /** the only alg its request objects may use (RFC 9101); null: any of CLIENT_ASSERTION_ALGS */
  requestObjectSigningAlg: string | null;
  /** RFC 9101 10.5: every authorization request comes as a signed request object */
  requireSignedRequestObject: boolean;
  /** OpenID Connect Core 8: public (the user's id) or pairwise (subject.ts) */
  subjectType: "public" | "pairwise";
  /** the sector of a pairwise client when not its redirect URIs' host (portcullis.sector_identifier) */
  sectorIdentifier: string | null;
  /** seconds a pushed request_uri lives */
  pushedRequestLifetime: number;
  /** seconds a device authorization's codes live (RFC 8628 expires_in) */
  deviceCodeLifetime: number;
  /** seconds between a device's polls (RFC 8628 interval) */
  devicePollInterval: number;
  /** OpenID Connect Back-Channel Logout 1.0: where logout tokens are POSTed */
  backchannelLogoutUri: string | null;
  backchannelLogoutSessionRequired: boolean;
  /** OpenID Connect Front-Channel Logout 1.0: loaded in an iframe by the signed-out page */
  frontchannelLogoutUri: string | null;
  /** the iframe URL carries iss and sid */
  frontchannelLogoutSessionRequired: boolean;
  /** RFC 9449 5.2: every token request carries a DPoP proof, so every access token is DPoP-bound */
  dpopBoundAccessTokens: boolean;
  /** a security profile whose rules the client follows (profiles.ts): "fapi2" is FAPI 2.0 Security Profile */
  profile: ClientProfileName;
  clientUri: string | null;
  logoUri: string | null;
  secrets: HashedSecret[];
  /** RFC 8693: the token exchanges this client may make (portcullis.token_exchange) */
  tokenExchange: TokenExchangePolicy;
}

/**
 * Which token exchanges (RFC 8693) a client may make; it also needs the token-exchange grant type.
 * Scopes are always a subset of the subject token's and of the client's allowed scopes.
 */
export interface TokenExchangePolicy {
  /** a token for the subject alone, acting as the subject (no actor_token) */
  impersonation: boolean;
  /** a token for the subject with the actor in the `act` claim (actor_token required) */
  delegation: boolean;
  /** API resources the issued token may be for; empty: only the subject token's own audiences */
  audiences: string[];
  /** clients whose tokens it may exchange; empty: any client's */
  subjectClients: string[];
}

/** What the consent page shows of a scope. */
export interface ScopeDisplay {
  displayName: string | null;
  description: string | null;
  required: boolean;
  emphasize: boolean;
}

export interface ApiScopeRecord extends Partial<ScopeDisplay> {
  name: string;
  enabled: boolean;
}

export interface ApiResourceRecord {
  name: string;
  enabled: boolean;
  signingAlg: SigningAlg;
  scopes: ApiScopeRecord[];
  secrets: HashedSecret[];
}

export interface IdentityResourceRecord extends Partial<ScopeDisplay> {
  name: string;
  enabled: boolean;
  claims: string[];
  showInDiscovery: boolean;
}

export interface ClientStore {
  findClient(clientId: string): Promise<ClientRecord | null>;
}

export interface ResourceStore {
  /** Every API resource with its scopes (enabled or not); the core filters. */
  listApiResources(): Promise<ApiResourceRecord[]>;
  listIdentityResources(): Promise<IdentityResourceRecord[]>;
}

/** A persisted handle: reference token, code, refresh token. `key` is the handle's hash. */
export interface GrantRecord {
  key: string;
  type: string;
  clientId: string;
  subjectId: string | null;
  familyId: string | null;
  data: Record<string, unknown>;
  expiresAt: Date | null;
  consumedAt: Date | null;
  /** device codes only (RFC 8628): seconds between polls, raised by slow_down (pollGrant) */
  pollInterval?: number;
}

/** What a device's poll may do now (GrantStore.pollGrant). */
export type PollDecision = "poll" | "slow_down" | "gone";

export interface GrantStore {
  saveGrant(grant: GrantRecord): Promise<void>;
  findGrant(key: string): Promise<GrantRecord | null>;
  removeGrant(key: string): Promise<void>;
  /**
   * Marks an unconsumed grant consumed (and replaces its data when given), atomically: of two
   * concurrent calls exactly one returns true.
   */
  consumeGrant(key: string, at: Date, data?: Record<string, unknown>): Promise<boolean>;
  /**
   * A device's poll (RFC 8628 3.5), decided in ONE conditional update: when the unconsumed grant
   * may be polled at `at` (never polled, or its next poll time has come) its next poll time
   * becomes `nextPollAt` and the answer is "poll"; otherwise its pollInterval grows by
   * `penalty` seconds, its next poll time moves to `at` plus the new interval, and the answer is
   * "slow_down". "gone": no such unconsumed grant. Of concurrent polls at most one gets "poll".
   */
  pollGrant(key: string, at: Date, nextPollAt: Date, penalty: number): Promise<PollDecision>;
  /** Removes every grant of a family (a code and the tokens issued from it); returns how many. */
  removeFamily(familyId: string): Promise<number>;
}

export interface UserRecord {
  id: string;
  username: string;
  email: string | null;
  emailVerified: boolean;
  claims: Record<string, unknown>;
  roles: string[];
  locked: boolean;
  updatedAt: Date;
}

export interface UserStore {
  findUser(id: string): Promise<UserRecord | null>;
}

export interface SessionRecord {
  id: string;
  userId: string;
  authTime: Date;
  amr: string[];
  /** the external identity provider of this sign-in (the ID token's idp claim); null: local */
  idp: string | null;
  /** client_ids signed in through this session */
  clients: string[];
  expiresAt: Date;
  revokedAt: Date | null;
  /** when the session was last used (written at most once a minute, see touchSession) */
  lastSeenAt: Date;
}

export interface SessionStore {
  /** By the hash of the cookie's value. */
  findSessionByKey(key: string): Promise<SessionRecord | null>;
  findSession(id: string): Promise<SessionRecord | null>;
  createSession(input: {
    key: string;
    userId: string;
    authTime: Date;
    amr: string[];
    idp?: string;
    expiresAt: Date;
    ipAddress?: string;
    userAgent?: string;
  }): Promise<SessionRecord>;
  addClient(sessionId: string, clientId: string): Promise<void>;
  revokeSession(sessionId: string, at: Date): Promise<void>;
  /**
   * Sets lastSeenAt to `at` only if it is older than `before`: ONE conditional update, so
   * concurrent requests of a session write it at most once per interval.
   */
  touchSession(sessionId: string, at: Date, before: Date): Promise<void>;
  /**
   * Step-up: sets the session's amr and authTime (a second factor was just proven), in ONE
   * conditional update of the live (unrevoked) session; false when it is gone.
   */
  upgradeSession(sessionId: string, amr: string[], authTime: Date): Promise<boolean>;
}

export interface ReplayStore {
  /** Records `key` until `expiresAt`; false when it was already recorded (a replay). */
  useOnce(key: string, expiresAt: Date): Promise<boolean>;
}

export interface SigningKeyRecord {
  kid: string;
  alg: SigningAlg;
  generation: number;
  publicJwk: Record<string, unknown>;
  /** the private JWK, encrypted with the server secret */
  privateKey: string;
  createdAt: Date;
  activatesAt: Date;
}

export interface KeyStore {
  listKeys(): Promise<SigningKeyRecord[]>;
  /** Fails with KeyGenerationTaken when (alg, generation) exists: another instance rotated first. */
  addKey(key: SigningKeyRecord): Promise<void>;
  removeKeys(kids: string[]): Promise<void>;
}

export class KeyGenerationTaken extends Error {
  override readonly name = "KeyGenerationTaken";
}

export interface AuditEventInput {
  type: string;
  actor?: string;
  subject?: string;
  clientId?: string;
  /** the client address of the request, when the event has one */
  ipAddress?: string;
  details?: Record<string, unknown>;
}

export interface AuditSink {
  record(event: AuditEventInput): Promise<void>;
}

/**
 * Counters bumped by every change of clients, resources and users' standing ("config"), signing
 * keys ("keys") or token revocations ("revocations"), so each instance can drop its caches within
 * a second of a change made anywhere.
 */
export interface ChangeFeed {
  versions(): Promise<{ config: number; keys: number; revocations: number }>;
}

/**
 * Revoked self-contained (JWT) access tokens, by `jti:<jti>`, and revoked grant families, by
 * `family:<id>`: a JWT cannot be deleted, so it is refused while a record names it. A record is
 * kept until the last token it covers has expired.
 */
export interface RevocationStore {
  /** Records each key (bumping the "revocations" counter); a key already recorded keeps the later expiry. */
  revoke(entries: { key: string; expiresAt: Date }[]): Promise<void>;
  /** The keys of every record that has not expired at `now`. */
  activeRevocations(now: Date): Promise<string[]>;
}

/** A metadata value the registrar refused: the field (RFC 7591 name, "redirect_uris[0]") and why. */
export interface MetadataProblem {
  path: string;
  message: string;
}

/** A client registered through RFC 7591, as the registration endpoint shows it. */
export interface RegisteredClient {
  clientId: string;
  /** the client's metadata, RFC 7591 names (no secrets, no Portcullis settings) */
  metadata: Record<string, unknown>;
  createdAt: Date;
  /** "sha256:..." of its registration access token; null: an administrator registered it */
  registrationAccessTokenHash: string | null;
}

export type RegistrationOutcome =
  | { ok: true; client: RegisteredClient; /** generated, in plain, shown once */ clientSecret?: string }
  | { ok: false; problems: MetadataProblem[] };

/**
 * Dynamic client registration behind the protocol endpoint (RFC 7591, RFC 7592): the
 * application layer validates metadata with the console's schema and the registration policy
 * (lib/admin/registration.ts), stores clients and audits every change.
 */
export interface ClientRegistrar {
  /**
   * Counts one use of the initial access token with this hash in ONE conditional update (live,
   * unexpired, under its max uses); its id, or null when it may not be used.
   */
  useInitialAccessToken(hash: string, at: Date): Promise<{ id: string } | null>;
  /** Metadata problems of a registration request, before a token use is counted. */
  check(metadata: Record<string, unknown>): Promise<MetadataProblem[]>;
  register(
    metadata: Record<string, unknown>,
    registration: { accessTokenHash: string; initialAccessTokenId: string | null },
  ): Promise<RegistrationOutcome>;
  find(clientId: string): Promise<RegisteredClient | null>;
  replace(clientId: string, metadata: Record<string, unknown>): Promise<RegistrationOutcome>;
  remove(clientId: string): Promise<boolean>;
}

export interface Stores {
  changes: ChangeFeed;
  users: UserStore;
  sessions: SessionStore;
  clients: ClientStore;
  resources: ResourceStore;
  grants: GrantStore;
  replay: ReplayStore;
  revocations: RevocationStore;
  keys: KeyStore;
  audit: AuditSink;
}
