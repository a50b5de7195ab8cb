/**
 * Import and export of the declarative configuration file, and the one write path of the console
 * and the REST API: they create and change clients, API resources, identity resources and users
 * by importing one entry, in the mode "create" or "update".
 *
 * Rules:
 * - the file is checked whole before anything is written: shape (zod), then references; every
 *   problem is reported with its path, and a file with any problem writes nothing; what is
 *   written, is written in one transaction that also bumps the change stamp;
 * - importing a file is idempotent ("merge"): entries are matched by client_id, name or username
 *   and updated; nothing absent from the file is deleted, except an API resource's scopes, which
 *   the file lists whole;
 * - "create" refuses an entry whose key is taken (checked first for the message, then decided by
 *   the database's unique key, so two concurrent creates cannot both win); "update" refuses an
 *   entry that does not exist, and lets a client that uses secrets have none yet (the console and
 *   the API generate them on request);
 * - secrets given in plain are stored only as hashes; a client or API resource whose entry has
 *   no secrets keeps the ones it has; a user's password is re-hashed only when it changed;
 * - scope names are unique across API scopes and identity resources; a client may only be
 *   allowed scopes that exist after the import;
 * - export writes the same format, with secrets and passwords as hashes only;
 * - identity providers (matched by id) are merged like the rest, in the same transaction, which
 *   also bumps their own change stamp; an upstream client_secret is sealed at rest (like the
 *   signing keys), an entry without one keeps the stored one, and export leaves it out: it is
 *   never written in plain.
 */
import { hashPassword, verifyPassword } from "../auth/password";
import { checkNewPassword, DEFAULT_PASSWORD_POLICY } from "../auth/password-policy";
import { hashSecret } from "../oidc";
import { configFile, type ConfigFile } from "../schemas/config-file";
import { usesSecret } from "../schemas/client";
import type { SecretInput } from "../schemas/common";
import { AdminError, errorCodeOf, notFound, problemsOf, type Problem } from "./errors";

export type { Problem } from "./errors";

/** The file's failures, with a message the `portcullis import` command prints as it is. */
export class ConfigImportError extends AdminError {
  constructor(problems: Problem[]) {
    super(
      "validation_failed",
      `configuration rejected:\n${problems.map((p) => `  ${p.path || "(file)"}: ${p.message}`).join("\n")}`,
      problems,
    );
  }
}

export interface StoredSecret {
  hash: string;
  description: string | null;
  expiresAt: Date | null;
}

export type Section = "clients" | "api_resources" | "identity_resources" | "users";

/** "merge" for files; "create" and "update" for the console and the API (see the rules above). */
export type ImportMode = "merge" | "create" | "update";

/** The file, validated, with secrets and passwords hashed: ready to write. */
export interface ImportPlan {
  mode: ImportMode;
  file: ConfigFile;
  clientSecrets: (StoredSecret[] | undefined)[];
  apiResourceSecrets: (StoredSecret[] | undefined)[];
  passwordHashes: (string | null | undefined)[];
}

/** What the import needs to know about the database before it writes. */
export interface ConfigSnapshot {
  /** scope name -> owner ("api:<resource name>" or "identity") */
  scopeOwners: Map<string, string>;
  /** of the entries asked about, the keys that are stored */
  stored: Record<Section, Set<string>>;
  /** of the clients asked about, those with at least one secret */
  clientsWithSecrets: Set<string>;
  /** of the users asked about */
  passwordHashes: Map<string, string | null>;
}

export interface ConfigRepository {
  /** The scope names, and what is stored of the entries named (by client_id, name or username). */
  snapshot(about: Record<Section, string[]>): Promise<ConfigSnapshot>;
  /**
   * Writes the plan in one transaction, as its mode says; throws ConfigImportError for conflicts
   * found while writing, not_found when an entry to update is gone.
   */
  apply(plan: ImportPlan): Promise<ImportSummary>;
  read(): Promise<ConfigFile>;
}

export interface ImportSummary {
  created: number;
  updated: number;
}

/** Each section's key, and the words for an entry of it. */
const SECTIONS: Record<Section, { key: string; noun: string; taken: (key: string) => string }> = {
  clients: { key: "client_id", noun: "client", taken: (k) => `client_id ${k} is already registered` },
  api_resources: { key: "name", noun: "API resource", taken: (k) => `${k} already exists` },
  identity_resources: { key: "name", noun: "identity resource", taken: (k) => `${k} already exists` },
  users: { key: "username", noun: "user", taken: (k) => `${k} already exists` },
};

const keyOf = (section: Section, entry: object) => (entry as Record<string, string>)[SECTIONS[section].key]!;

/** "client app", "API resource https://api.example": how messages name an entry. */
export const describeEntry = (section: Section, key: string) => `${SECTIONS[section].noun} ${key}`;

export async function importConfig(repo: ConfigRepository, raw: unknown, mode: ImportMode = "merge"): Promise<ImportSummary> {
  const parsed = configFile.safeParse(raw);
  if (!parsed.success) throw new ConfigImportError(problemsOf(parsed.error));
  const file = parsed.data;
  const keys = (section: Section) => file[section].map((e) => keyOf(section, e));
  const about = {
    clients: keys("clients"),
    api_resources: keys("api_resources"),
    identity_resources: keys("identity_resources"),
    users: keys("users"),
  };
  const snapshot = await repo.snapshot(about);
  if (mode === "update") {
    for (const section of Object.keys(SECTIONS) as Section[]) {
      const missing = keys(section).find((k) => !snapshot.stored[section].has(k));
      if (missing !== undefined) throw notFound(describeEntry(section, missing));
    }
  }
  const problems = [
    ...(mode === "create" ? takenKeys(file, snapshot) : []),
    ...checkReferences(file, snapshot, mode),
    ...passwordProblems(file),
  ];
  if (problems.length) throw new ConfigImportError(problems);
  const plan: ImportPlan = {
    mode,
    file,
    clientSecrets: await Promise.all(file.clients.map((c) => hashSecrets(c.client_secret ? [{ value: c.client_secret }] : c.secrets))),
    apiResourceSecrets: await Promise.all(file.api_resources.map((r) => hashSecrets(r.secrets))),
    passwordHashes: await Promise.all(file.users.map((u) => passwordHashFor(u, snapshot.passwordHashes.get(u.username)))),
  };
  try {
    return await repo.apply(plan);
  } catch (err) {
    // A create that lost to a concurrent writer of the same key: the database refused it; say why.
    const taken = mode === "create" && errorCodeOf(err) === "validation_failed" ? takenKeys(file, await repo.snapshot(about)) : [];
    if (taken.length) throw new ConfigImportError(taken);
    throw err;
  }
}

/** The entries whose key is already stored ("create" only). */
function takenKeys(file: ConfigFile, snapshot: ConfigSnapshot): Problem[] {
  return (Object.keys(SECTIONS) as Section[]).flatMap((section) =>
    file[section].flatMap((entry, i) => {
      const key = keyOf(section, entry);
      return snapshot.stored[section].has(key)
        ? [{ path: `${section}[${i}].${SECTIONS[section].key}`, message: SECTIONS[section].taken(key) }]
        : [];
    }),
  );
}

export async function exportConfig(repo: ConfigRepository): Promise<ConfigFile> {
  return repo.read();
}

function checkReferences(file: ConfigFile, snapshot: ConfigSnapshot, mode: ImportMode): Problem[] {
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
  duplicates(
    file.clients,
    (c) => c.client_id,
    (i) => `clients[${i}].client_id`,
    "client_id",
  );
  duplicates(
    file.api_resources,
    (r) => r.name,
    (i) => `api_resources[${i}].name`,
    "API resource",
  );
  duplicates(
    file.identity_resources,
    (r) => r.name,
    (i) => `identity_resources[${i}].name`,
    "identity resource",
  );
  file.api_resources.forEach((r, i) =>
    duplicates(
      r.scopes,
      (s) => s.name,
      (j) => `api_resources[${i}].scopes[${j}].name`,
      "scope",
    ),
  );
  duplicates(
    file.identity_providers,
    (p) => p.id,
    (i) => `identity_providers[${i}].id`,
    "identity provider",
  );
  duplicates(
    file.users,
    (u) => u.username,
    (i) => `users[${i}].username`,
    "username",
  );
  duplicates(
    file.users,
    (u) => u.email?.toLowerCase(),
    (i) => `users[${i}].email`,
    "email",
  );

  // Scope names after the import: the database's, less the scopes of the API resources the
  // file lists (it lists them whole), plus the file's. A name may have one owner only.
  const resourcesInFile = new Set(file.api_resources.map((r) => `api:${r.name}`));
  const owners = new Map([...snapshot.scopeOwners].filter(([, owner]) => !resourcesInFile.has(owner)));
  const claim = (name: string, owner: string, path: string) => {
    const existing = owners.get(name);
    if (existing && existing !== owner)
      problems.push({ path, message: `scope name ${name} is already used by ${describeOwner(existing)}` });
    else owners.set(name, owner);
  };
  file.identity_resources.forEach((r, i) => claim(r.name, "identity", `identity_resources[${i}].name`));
  file.api_resources.forEach((r, i) => r.scopes.forEach((s, j) => claim(s.name, `api:${r.name}`, `api_resources[${i}].scopes[${j}].name`)));

  file.clients.forEach((c, i) => {
    for (const s of c.scope.split(" ").filter(Boolean)) {
      if (!owners.has(s)) problems.push({ path: `clients[${i}].scope`, message: `unknown scope ${s}` });
    }
    const hasSecret =
      c.client_secret !== undefined ||
      (c.secrets?.length ?? 0) > 0 ||
      (c.secrets === undefined && snapshot.clientsWithSecrets.has(c.client_id));
    if (mode !== "update" && usesSecret(c.token_endpoint_auth_method) && !hasSecret)
      problems.push({ path: `clients[${i}].client_secret`, message: `${c.token_endpoint_auth_method} needs client_secret or secrets` });
  });
  return problems;
}

function describeOwner(owner: string): string {
  return owner === "identity" ? "an identity resource" : `API resource ${owner.slice(4)}`;
}

async function hashSecrets(secrets: SecretInput[] | undefined): Promise<StoredSecret[] | undefined> {
  if (!secrets) return undefined;
  return Promise.all(
    secrets.map(async (s) => ({
      hash: s.hash ?? (await hashSecret(s.value!)),
      description: s.description ?? null,
      expiresAt: s.expires_at ? new Date(s.expires_at) : null,
    })),
  );
}

/** undefined keeps the stored hash, null clears it. */
/**
 * Plain passwords in a file follow the password policy with its default minimum length (the file
 * is read before the console's settings exist, and must import the same on every portal); the
 * username rule is the console's and the API's, where the person is known. Hashes from an export
 * are taken as they are.
 */
function passwordProblems(file: ConfigFile): { path: string; message: string }[] {
  return file.users.flatMap((u, i) => {
    const message = u.password === undefined ? null : checkNewPassword(u.password, {}, DEFAULT_PASSWORD_POLICY);
    return message ? [{ path: `users[${i}].password`, message }] : [];
  });
}

async function passwordHashFor(user: ConfigFile["users"][number], stored: string | null | undefined): Promise<string | null | undefined> {
  if (user.password_hash) return user.password_hash;
  if (!user.password) return undefined;
  if (stored && (await verifyPassword(user.password, stored))) return undefined;
  return hashPassword(user.password);
}
