/**
 * The signed-in user's own passkeys: list, rename, remove.
 *
 * Rules:
 * - a service takes the session handle and acts on that session's user only: another user's
 *   passkey id is "not_found", never someone else's data;
 * - removing needs a recent sign-in (lib/account/reauth.ts), like the account's other
 *   sensitive actions; renaming does not (it grants nothing);
 * - names are trimmed, at most 60 characters, no control characters; an empty name keeps the old one;
 * - removal and renaming are audited.
 */
import type { ProviderContext } from "../../oidc";
import { sessionFromHandle } from "../../oidc";
import { recentlyAuthenticated } from "../../account/reauth";
import { passkeyIdInput, passkeyNameInput } from "../../schemas/passkeys";
import type { PasskeyStore } from "./ports";
import { keyKind, type KeyKind } from "./authentication";

export interface PasskeyView {
  id: string;
  name: string;
  kind: KeyKind;
  /** synced between the user's devices */
  synced: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** The session user's passkeys, oldest first; null when not signed in. */
export async function myPasskeys(
  ctx: ProviderContext,
  store: PasskeyStore,
  sessionHandle: string | undefined,
): Promise<PasskeyView[] | null> {
  const active = await sessionFromHandle(ctx, sessionHandle);
  if (!active) return null;
  return (await store.listByUser(active.user.id)).map((p) => ({
    id: p.id,
    name: p.name,
    kind: keyKind(p),
    synced: p.deviceType === "multiDevice",
    createdAt: p.createdAt,
    lastUsedAt: p.lastUsedAt,
  }));
}

export async function renameMyPasskey(
  ctx: ProviderContext,
  store: PasskeyStore,
  sessionHandle: string | undefined,
  input: { id: unknown; name: unknown },
): Promise<"renamed" | "invalid_name" | "not_found" | "not_signed_in"> {
  const active = await sessionFromHandle(ctx, sessionHandle);
  if (!active) return "not_signed_in";
  const id = passkeyIdInput.safeParse(input.id);
  const name = passkeyNameInput.safeParse(typeof input.name === "string" ? input.name : "");
  if (!id.success) return "not_found";
  if (!name.success || !name.data) return "invalid_name";
  if (!(await store.rename(active.user.id, id.data, name.data))) return "not_found";
  await ctx.stores.audit.record({
    type: "passkey_renamed",
    actor: active.user.id,
    subject: active.user.id,
    details: { passkeyId: id.data },
  });
  return "renamed";
}

export async function removeMyPasskey(
  ctx: ProviderContext,
  store: PasskeyStore,
  sessionHandle: string | undefined,
  input: { id: unknown },
  meta: { ipAddress?: string } = {},
): Promise<"removed" | "reauth" | "not_found" | "not_signed_in"> {
  const active = await sessionFromHandle(ctx, sessionHandle);
  if (!active) return "not_signed_in";
  const id = passkeyIdInput.safeParse(input.id);
  if (!id.success) return "not_found";
  if (!recentlyAuthenticated(ctx, active)) return "reauth";
  const passkey = (await store.listByUser(active.user.id)).find((p) => p.id === id.data);
  if (!passkey || !(await store.remove(active.user.id, id.data))) return "not_found";
  await ctx.stores.audit.record({
    type: "passkey_removed",
    actor: active.user.id,
    subject: active.user.id,
    ipAddress: meta.ipAddress,
    details: { passkeyId: passkey.id, name: passkey.name },
  });
  return "removed";
}
