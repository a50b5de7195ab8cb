/** What the admin services need from storage. */
import type { ClientInput } from "../schemas/client";
import type { StoredSecret } from "./config-transfer";

export interface SecretInfo {
  id: string;
  description: string | null;
  expiresAt: Date | null;
  createdAt: Date;
}

/** A client as the console and the API show it: the file format, secrets as metadata only. */
export type ClientView = Omit<ClientInput, "client_secret" | "secrets"> & {
  secrets: SecretInfo[];
  created_at: string;
  updated_at: string;
  /** registered by the client itself at /connect/register (RFC 7591), manageable with its registration access token */
  registered_dynamically: boolean;
};

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** The admin's reads of clients and the writes the import does not cover (see lib/admin/entries.ts). */
export interface ClientAdminStore {
  list(query: { search?: string; page: number; pageSize: number }): Promise<Page<ClientView>>;
  get(clientId: string): Promise<ClientView | null>;
  remove(clientId: string): Promise<boolean>;
  addSecret(clientId: string, secret: StoredSecret): Promise<SecretInfo | null>;
  removeSecret(clientId: string, secretId: string): Promise<boolean>;
}

export interface ApiResourceView {
  name: string;
  display_name?: string;
  description?: string;
  enabled: boolean;
  signing_alg: string;
  scopes: { name: string; display_name?: string; description?: string; required: boolean; emphasize: boolean; enabled: boolean }[];
  secrets: SecretInfo[];
}
export interface IdentityResourceView {
  name: string;
  display_name?: string;
  description?: string;
  claims: string[];
  required: boolean;
  enabled: boolean;
}
export interface UserView {
  id: string;
  username: string;
  email: string | null;
  email_verified: boolean;
  claims: Record<string, unknown>;
  roles: string[];
  locked: boolean;
  locked_until: string | null;
  last_login_at: string | null;
  created_at: string;
}
export interface SessionView {
  id: string;
  user_id: string;
  username: string;
  auth_time: string;
  expires_at: string;
  clients: string[];
  ip_address: string | null;
  user_agent: string | null;
}
export interface ConsentView {
  client_id: string;
  scopes: string[];
  created_at: string;
}
export interface ExternalLoginView {
  id: string;
  provider: string;
  provider_account_id: string;
  created_at: string;
}
export interface AuditView {
  id: string;
  created_at: string;
  type: string;
  actor: string | null;
  subject: string | null;
  client_id: string | null;
  details: unknown;
}

/** The admin's reads of the rest, and the writes the import does not cover. */
export interface DirectoryStore {
  listApiResources(q: { search?: string; page: number; pageSize: number }): Promise<Page<ApiResourceView>>;
  getApiResource(name: string): Promise<ApiResourceView | null>;
  removeApiResource(name: string): Promise<boolean>;
  addApiSecret(name: string, secret: StoredSecret): Promise<SecretInfo | null>;
  removeApiSecret(name: string, secretId: string): Promise<boolean>;
  listIdentityResources(): Promise<IdentityResourceView[]>;
  removeIdentityResource(name: string): Promise<boolean>;
  listUsers(q: { search?: string; page: number; pageSize: number }): Promise<Page<UserView>>;
  getUser(
    username: string,
  ): Promise<(UserView & { sessions: SessionView[]; consents: ConsentView[]; external_logins: ExternalLoginView[] }) | null>;
  setUserLocked(username: string, locked: boolean): Promise<boolean>;
  setUserPassword(username: string, hash: string): Promise<boolean>;
  removeUser(username: string): Promise<boolean>;
  listSessions(q: { search?: string; page: number; pageSize: number; now: Date }): Promise<Page<SessionView>>;
  revokeSession(id: string, at: Date): Promise<boolean>;
  revokeUserSessions(userId: string, at: Date): Promise<number>;
  removeConsent(userId: string, clientId: string): Promise<boolean>;
  removeExternalLogin(userId: string, id: string): Promise<boolean>;
  listAudit(q: {
    type?: string;
    actor?: string;
    subject?: string;
    clientId?: string;
    page: number;
    pageSize: number;
  }): Promise<Page<AuditView>>;
}

/** An initial access token as the console and the API show it: never the token. */
export interface InitialAccessTokenView {
  id: string;
  description: string | null;
  expires_at: string | null;
  max_uses: number | null;
  uses: number;
  revoked_at: string | null;
  created_by: string | null;
  created_at: string;
}

/** Dynamic client registration's storage (lib/admin/registration.ts). */
export interface RegistrationStore {
  /** ONE conditional update: uses + 1 where the token is not revoked, not expired at `at` and under max_uses. */
  useInitialAccessToken(hash: string, at: Date): Promise<{ id: string } | null>;
  issueInitialAccessToken(token: {
    hash: string;
    description: string | null;
    expiresAt: Date | null;
    maxUses: number | null;
    createdBy: string;
  }): Promise<InitialAccessTokenView>;
  listInitialAccessTokens(): Promise<InitialAccessTokenView[]>;
  /** Sets revokedAt once; false when there is no such unrevoked token. */
  revokeInitialAccessToken(id: string, at: Date): Promise<boolean>;
  setRegistrationAccessToken(clientId: string, hash: string): Promise<void>;
  /** The registration access token's hash and creation time of a client; null when there is no such client. */
  registrationOf(clientId: string): Promise<{ hash: string | null; createdAt: Date } | null>;
}
