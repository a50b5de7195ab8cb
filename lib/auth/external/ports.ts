/**
 * What sign-in through external identity providers needs from storage. Implementation:
 * lib/stores/prisma/identity-providers.ts (SQLite and PostgreSQL, one shared test suite).
 */
import type { FirstLoginPolicy, ProviderType } from "../../schemas/identity-provider";

/** The SecretBox purpose of upstream client secrets (like "signing-keys" for the signing keys). */
export const UPSTREAM_SECRETS_PURPOSE = "upstream-secrets";

/** A provider's stored settings, with the client secret already unsealed. */
export interface IdentityProviderRecord {
  id: string;
  displayName: string;
  type: ProviderType;
  issuer: string | null;
  authorizationEndpoint: string | null;
  tokenEndpoint: string | null;
  userinfoEndpoint: string | null;
  tenant: string | null;
  clientId: string;
  /** plain, unsealed by the store; null: a public client (PKCE only) */
  clientSecret: string | null;
  /** null: the kind's or preset's default */
  scope: string | null;
  enabled: boolean;
  /** local claim name -> upstream claim name, over the kind's or preset's mapping */
  claims: Record<string, string>;
  trustEmail: boolean;
  firstLogin: FirstLoginPolicy;
  emailDomains: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** What a create or an update writes; the secret is given in plain and sealed by the store. */
export type IdentityProviderData = Omit<IdentityProviderRecord, "createdAt" | "updatedAt">;

/** A local user as the decision service sees them. */
export interface ExternalUser {
  id: string;
  username: string;
  email: string | null;
  emailVerified: boolean;
  /** no password: this user signs in only through external logins */
  hasPassword: boolean;
  locked: boolean;
  claims: Record<string, unknown>;
}

/** A link between a local user and an upstream account (an ExternalLogin row). */
export interface ExternalLoginRecord {
  id: string;
  userId: string;
  providerId: string;
  subject: string;
  displayName: string | null;
  email: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export interface NewLink {
  providerId: string;
  subject: string;
  displayName: string | null;
  email: string | null;
  /** false: made from the account page, not by a sign-in (lastUsedAt stays empty); default true */
  used?: boolean;
}

export type LinkResult =
  | { status: "linked"; link: ExternalLoginRecord }
  /** the same upstream identity was linked to this user already (a concurrent sign-in won) */
  | { status: "already_linked"; link: ExternalLoginRecord }
  /** the upstream identity belongs to another local user */
  | { status: "taken"; userId: string }
  /** this user has another link with this provider already: one link per provider per user */
  | { status: "provider_linked"; link: ExternalLoginRecord };

export type CreateUserResult =
  | { status: "created"; user: ExternalUser; link: ExternalLoginRecord }
  /** a concurrent first sign-in of the same upstream identity created its user first */
  | { status: "link_exists" }
  /** another user took the email address */
  | { status: "email_taken" };

export interface IdentityProviderStore {
  listProviders(): Promise<IdentityProviderRecord[]>;
  findProvider(id: string): Promise<IdentityProviderRecord | null>;
  /** Fails with ProviderExists when the id is taken. */
  createProvider(data: IdentityProviderData): Promise<IdentityProviderRecord>;
  /** `clientSecret` undefined keeps the stored secret; null removes it. Null when the id is unknown. */
  updateProvider(
    id: string,
    data: Omit<IdentityProviderData, "id" | "clientSecret"> & { clientSecret?: string | null },
  ): Promise<IdentityProviderRecord | null>;
  deleteProvider(id: string): Promise<boolean>;
  /** How many links each provider id has (ids of deleted providers included; none: absent). */
  countLinks(): Promise<Record<string, number>>;
  /** Increases with every change of any provider, on every instance (the caches' change feed). */
  version(): Promise<number>;

  findLink(providerId: string, subject: string): Promise<{ link: ExternalLoginRecord; user: ExternalUser } | null>;
  listLinks(userId: string): Promise<ExternalLoginRecord[]>;
  /**
   * Insert-if-absent on (provider, subject), decided by the database's unique constraint; refused
   * (provider_linked) when the user already has a link with this provider, decided under the user's
   * row lock so that two concurrent links cannot both pass.
   */
  link(userId: string, link: NewLink, at: Date): Promise<LinkResult>;
  /** Removes one link of this user; false when the user has no such link. */
  unlink(userId: string, linkId: string): Promise<boolean>;
  /**
   * After a sign-in: the link's lastUsedAt, display name and email, the user's lastLoginAt, and the
   * given claims merged into the user's claims, in one transaction.
   */
  recordSignIn(
    linkId: string,
    update: { at: Date; displayName: string | null; email: string | null; claims: Record<string, unknown> },
  ): Promise<void>;
  findUserById(id: string): Promise<ExternalUser | null>;
  /** The local user whose email is `email` (stored lowercase), verified or not. */
  findUserByEmail(email: string): Promise<ExternalUser | null>;
  /**
   * Creates a user without a password and its first link, atomically. The username is the first
   * free one among `usernames` and then `usernames[0]` with a random suffix; the database's unique
   * constraint decides, so two concurrent sign-ins never get the same name.
   */
  createUserWithLink(input: {
    usernames: string[];
    email: string | null;
    emailVerified: boolean;
    claims: Record<string, unknown>;
    link: NewLink;
    at: Date;
  }): Promise<CreateUserResult>;
}

export class ProviderExists extends Error {
  override readonly name = "ProviderExists";
  readonly code = "conflict";
}
