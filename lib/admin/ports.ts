/** What the admin services need from storage. */
import type { ClientInput } from "../schemas/client";

export interface SecretInfo { id: string; description: string | null; expiresAt: Date | null; createdAt: Date }

/** A client as the console and the API show it: the file format, secrets as metadata only. */
export type ClientView = Omit<ClientInput, "client_secret" | "secrets"> & { secrets: SecretInfo[]; created_at: string; updated_at: string };

export interface Page<T> { items: T[]; total: number; page: number; pageSize: number }

export interface ClientAdminStore {
  list(query: { search?: string; page: number; pageSize: number }): Promise<Page<ClientView>>;
  get(clientId: string): Promise<ClientView | null>;
  /** Creates the client with its first secret hash (if any); fails with ConflictError when the id exists. */
  create(input: ClientInput, secret?: { hash: string; description: string | null; expiresAt: Date | null }): Promise<ClientView>;
  update(clientId: string, input: ClientInput): Promise<ClientView | null>;
  remove(clientId: string): Promise<boolean>;
  addSecret(clientId: string, secret: { hash: string; description: string | null; expiresAt: Date | null }): Promise<SecretInfo | null>;
  removeSecret(clientId: string, secretId: string): Promise<boolean>;
  /** scope names that exist (API scopes and identity resources) */
  scopeNames(): Promise<Set<string>>;
}

export class ConflictError extends Error {
  readonly code = "conflict";
}
