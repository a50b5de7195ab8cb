/**
 * What the admin services share to change an entry.
 *
 * Rules:
 * - input is checked by its zod schema, with the problems in plain words and by path;
 * - clients, API resources, identity resources and users are created and edited through the
 *   import, one entry at a time (lib/admin/config-transfer.ts: one transaction that bumps the
 *   change stamp, the references checked, "create" and "update" decided by the database); its
 *   problems come back as the entry's own fields ("scope", not "clients[0].scope");
 * - every change is audited (who, what, before and after; never a secret or a password), after
 *   this instance has dropped its caches (the others follow the change stamp within a second);
 * - secrets are generated here (256 bits) and returned once; only their hashes are stored.
 */
import { randomBytes } from "node:crypto";
import type { z } from "zod";
import { hashSecret } from "../oidc";
import type { AuditSink } from "../oidc";
import { newSecretInput } from "../schemas/common";
import { plainError } from "../schemas/messages";
import { importConfig, type ConfigRepository, type ImportMode, type Section, type StoredSecret } from "./config-transfer";
import type { Actor } from "./access";
import { errorCodeOf, invalid, problemsOf, type AdminError } from "./errors";

export function validate<T>(schema: z.ZodType<T>, raw: unknown): T {
  const parsed = schema.safeParse(raw, { error: plainError });
  if (!parsed.success) throw invalid(problemsOf(parsed.error));
  return parsed.data;
}

/** Creates or updates one entry through the import; its problems are reported as its own fields. */
export async function importEntry(repo: ConfigRepository, section: Section, entry: unknown, mode: ImportMode): Promise<void> {
  try {
    await importConfig(repo, { [section]: [entry] }, mode);
  } catch (err) {
    if (errorCodeOf(err) !== "validation_failed") throw err;
    const prefix = `${section}[0]`;
    throw invalid(
      (err as AdminError).problems.map((p) => ({
        ...p,
        path: p.path.startsWith(prefix) ? p.path.slice(prefix.length).replace(/^\./, "") : p.path,
      })),
    );
  }
}

export type AuditRecord = (
  actor: Actor,
  type: string,
  details: { [key: string]: unknown },
  about?: { subject?: string; clientId?: string },
) => Promise<void>;

/** The audit record of a change, made after this instance's caches are dropped. */
export function recorder(audit: AuditSink, changed: () => void): AuditRecord {
  return async (actor, type, details, about = {}) => {
    changed();
    await audit.record({ type, actor: actor.name, ...about, details });
  };
}

export const generateSecret = () => randomBytes(32).toString("base64url");

/** A new secret from a request ({ description?, expires_at? }): its value, shown once, and what is stored. */
export async function newSecret(raw: unknown): Promise<{ value: string; stored: StoredSecret }> {
  const input = validate(newSecretInput, raw ?? {});
  const value = generateSecret();
  return {
    value,
    stored: {
      hash: await hashSecret(value),
      description: input.description ?? null,
      expiresAt: input.expires_at ? new Date(input.expires_at) : null,
    },
  };
}
