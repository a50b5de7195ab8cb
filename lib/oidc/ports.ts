/**
 * What the protocol core needs from storage. Implementations: lib/stores/prisma (production)
 * and lib/stores/memory (tests); both pass tests/stores/store-suite.ts.
 */
import type { AccessTokenFormatName, ClientAuthMethodName, SigningAlg } from "./constants";

export interface HashedSecret {
  /** "sha256:<base64url>" */
  hash: string;
  expiresAt: Date | null;
}

export interface ClientRecord {
  clientId: string;
  clientName: string;
  enabled: boolean;
  tokenEndpointAuthMethod: ClientAuthMethodName;
  grantTypes: string[];
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  allowedScopes: string[];
  /** public keys for private_key_jwt */
  jwks: { keys: Record<string, unknown>[] } | null;
  accessTokenFormat: AccessTokenFormatName;
  /** seconds */
  accessTokenLifetime: number;
  secrets: HashedSecret[];
}

export interface ApiScopeRecord {
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

export interface IdentityResourceRecord {
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
}

export interface GrantStore {
  saveGrant(grant: GrantRecord): Promise<void>;
  findGrant(key: string): Promise<GrantRecord | null>;
  removeGrant(key: string): Promise<void>;
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
  details?: Record<string, unknown>;
}

export interface AuditSink {
  record(event: AuditEventInput): Promise<void>;
}

export interface Stores {
  clients: ClientStore;
  resources: ResourceStore;
  grants: GrantStore;
  replay: ReplayStore;
  keys: KeyStore;
  audit: AuditSink;
}
