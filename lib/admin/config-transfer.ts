/**
 * Import and export of the declarative configuration file.
 *
 * Rules:
 * - the file is checked whole before anything is written: shape (zod), then references; every
 *   problem is reported with its path, and a file with any problem writes nothing;
 * - importing is idempotent: entries are matched by client_id, name or username and updated;
 *   nothing absent from the file is deleted, except an API resource's scopes, which the file
 *   lists whole;
 * - secrets given in plain are stored only as hashes; a client or API resource whose entry has
 *   no secrets keeps the ones it has; a user's password is re-hashed only when it changed;
 * - scope names are unique across API scopes and identity resources; a client may only be
 *   allowed scopes that exist after the import;
 * - export writes the same format, with secrets and passwords as hashes only.
 */
import { z } from "zod";
import { hashPassword, verifyPassword } from "../auth/password";
import { hashSecret } from "../oidc";
import { ClientAuthMethod } from "../oidc";
import { configFile, type ConfigFile } from "../schemas/config-file";
import type { SecretInput } from "../schemas/common";

export interface Problem { path: string; message: string }

export class ConfigImportError extends Error {
  constructor(readonly problems: Problem[]) {
    super(`configuration rejected:\n${problems.map((p) => `  ${p.path || "(file)"}: ${p.message}`).join("\n")}`);
  }
}

export interface StoredSecret { hash: string; description: string | null; expiresAt: Date | null }

/** The file, validated, with secrets and passwords hashed: ready to write. */
export interface ImportPlan {
  file: ConfigFile;
  clientSecrets: (StoredSecret[] | undefined)[];
  apiResourceSecrets: (StoredSecret[] | undefined)[];
  passwordHashes: (string | null | undefined)[];
}

/** What the import needs to know about the database before it writes. */
export interface ConfigSnapshot {
  /** scope name -> owner ("api:<resource name>" or "identity") */
  scopeOwners: Map<string, string>;
  /** of the clients asked about, those with at least one secret */
  clientsWithSecrets: Set<string>;
  /** of the users asked about */
  passwordHashes: Map<string, string | null>;
}

export interface ConfigRepository {
  /** The scope names, and what is stored of the clients and users named. */
  snapshot(about: { clientIds: string[]; usernames: string[] }): Promise<ConfigSnapshot>;
  /** Writes the plan in one transaction; throws ConfigImportError for conflicts found while writing. */
  apply(plan: ImportPlan): Promise<ImportSummary>;
  read(): Promise<ConfigFile>;
}

export interface ImportSummary { created: number; updated: number }

export async function importConfig(repo: ConfigRepository, raw: unknown): Promise<ImportSummary> {
  const parsed = configFile.safeParse(raw);
  if (!parsed.success) throw new ConfigImportError(zodProblems(parsed.error));
  const file = parsed.data;
  const snapshot = await repo.snapshot({ clientIds: file.clients.map((c) => c.client_id), usernames: file.users.map((u) => u.username) });
  const problems = checkReferences(file, snapshot);
  if (problems.length) throw new ConfigImportError(problems);
  const plan: ImportPlan = {
    file,
    clientSecrets: await Promise.all(file.clients.map((c) => hashSecrets(c.client_secret ? [{ value: c.client_secret }] : c.secrets))),
    apiResourceSecrets: await Promise.all(file.api_resources.map((r) => hashSecrets(r.secrets))),
    passwordHashes: await Promise.all(file.users.map((u) => passwordHashFor(u, snapshot.passwordHashes.get(u.username)))),
  };
  return repo.apply(plan);
}

export async function exportConfig(repo: ConfigRepository): Promise<ConfigFile> {
  return repo.read();
}

function zodProblems(error: z.ZodError): Problem[] {
  return error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, p) => (typeof p === "number" ? `${out}[${p}]` : out ? `${out}.${String(p)}` : String(p)), "");
}

function checkReferences(file: ConfigFile, snapshot: ConfigSnapshot): Problem[] {
  const problems: Problem[] = [];
  const duplicates = <T>(items: T[], key: (t: T) => string | undefined, path: (i: number) => string, what: string) => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      const k = key(item);
      if (k === undefined) return;
      if (seen.has(k)) problems.push({ path: path(i), message: `duplicate ${what} ${k}` });
      seen.add(k);
    });
  };
  duplicates(file.clients, (c) => c.client_id, (i) => `clients[${i}].client_id`, "client_id");
  duplicates(file.api_resources, (r) => r.name, (i) => `api_resources[${i}].name`, "API resource");
  duplicates(file.identity_resources, (r) => r.name, (i) => `identity_resources[${i}].name`, "identity resource");
  file.api_resources.forEach((r, i) => duplicates(r.scopes, (s) => s.name, (j) => `api_resources[${i}].scopes[${j}].name`, "scope"));
  duplicates(file.users, (u) => u.username, (i) => `users[${i}].username`, "username");
  duplicates(file.users, (u) => u.email?.toLowerCase(), (i) => `users[${i}].email`, "email");

  // Scope names after the import: the database's, less the scopes of the API resources the
  // file lists (it lists them whole), plus the file's. A name may have one owner only.
  const resourcesInFile = new Set(file.api_resources.map((r) => `api:${r.name}`));
  const owners = new Map([...snapshot.scopeOwners].filter(([, owner]) => !resourcesInFile.has(owner)));
  const claim = (name: string, owner: string, path: string) => {
    const existing = owners.get(name);
    if (existing && existing !== owner) problems.push({ path, message: `scope name ${name} is already used by ${describeOwner(existing)}` });
    else owners.set(name, owner);
  };
  file.identity_resources.forEach((r, i) => claim(r.name, "identity", `identity_resources[${i}].name`));
  file.api_resources.forEach((r, i) => r.scopes.forEach((s, j) => claim(s.name, `api:${r.name}`, `api_resources[${i}].scopes[${j}].name`)));

  file.clients.forEach((c, i) => {
    for (const s of c.scope.split(" ").filter(Boolean)) {
      if (!owners.has(s)) problems.push({ path: `clients[${i}].scope`, message: `unknown scope ${s}` });
    }
    const needsSecret = c.token_endpoint_auth_method === ClientAuthMethod.basic || c.token_endpoint_auth_method === ClientAuthMethod.post;
    const hasSecret = c.client_secret !== undefined || (c.secrets?.length ?? 0) > 0 || (c.secrets === undefined && snapshot.clientsWithSecrets.has(c.client_id));
    if (needsSecret && !hasSecret) problems.push({ path: `clients[${i}].client_secret`, message: `${c.token_endpoint_auth_method} needs client_secret or secrets` });
  });
  return problems;
}

function describeOwner(owner: string): string {
  return owner === "identity" ? "an identity resource" : `API resource ${owner.slice(4)}`;
}

async function hashSecrets(secrets: SecretInput[] | undefined): Promise<StoredSecret[] | undefined> {
  if (!secrets) return undefined;
  return Promise.all(secrets.map(async (s) => ({
    hash: s.hash ?? (await hashSecret(s.value!)),
    description: s.description ?? null,
    expiresAt: s.expires_at ? new Date(s.expires_at) : null,
  })));
}

/** undefined keeps the stored hash, null clears it. */
async function passwordHashFor(user: ConfigFile["users"][number], stored: string | null | undefined): Promise<string | null | undefined> {
  if (user.password_hash) return user.password_hash;
  if (!user.password) return undefined;
  if (stored && (await verifyPassword(user.password, stored))) return undefined;
  return hashPassword(user.password);
}
