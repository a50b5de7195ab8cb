"use server";

import { getRuntime } from "@/lib/runtime";
import { adminAction as run, type ActionResult as FormResult } from "@/lib/next/admin-action";
import { apiResourceFromForm, identityFromForm, userFromForm, type ApiResourceFormValues, type UserFormValues } from "@/lib/schemas/admin-forms";
import type { IdentityFormValues } from "@/components/admin/resource-forms";

export async function createApiResource(csrf: string, values: ApiResourceFormValues): Promise<FormResult> {
  return run(csrf, "/admin/api-resources", async (principal) => {
    await (await getRuntime()).admin.directory.apiResources.save(principal, apiResourceFromForm(values));
    return { next: "/admin/api-resources" };
  });
}

export async function createUser(csrf: string, values: UserFormValues): Promise<FormResult> {
  return run(csrf, "/admin/users", async (principal) => {
    const user = await (await getRuntime()).admin.directory.users.save(principal, userFromForm(values));
    return { ok: true, next: `/admin/users/${encodeURIComponent(user.username)}` };
  });
}

/** Plain-form actions (work without JavaScript): lock, unlock, revoke. */
export async function userCommand(data: FormData): Promise<void> {
  const csrf = String(data.get("csrf") ?? "");
  const username = String(data.get("username") ?? "");
  const command = String(data.get("command") ?? "");
  await run(csrf, `/admin/users/${encodeURIComponent(username)}`, async (principal) => {
    const { directory } = (await getRuntime()).admin;
    if (command === "lock") await directory.users.setLocked(principal, username, true);
    else if (command === "unlock") await directory.users.setLocked(principal, username, false);
    else if (command === "revoke-sessions") await directory.sessions.revokeAllOf(principal, username);
    else if (command === "revoke-session") await directory.sessions.revoke(principal, String(data.get("session") ?? ""));
    else if (command === "revoke-consent") await directory.users.revokeConsent(principal, username, String(data.get("client") ?? ""));
    else if (command === "unlink") await directory.users.removeExternalLogin(principal, username, String(data.get("login") ?? ""));
  });
}

export async function sessionCommand(data: FormData): Promise<void> {
  await run(String(data.get("csrf") ?? ""), "/admin/sessions", async (principal) => {
    await (await getRuntime()).admin.directory.sessions.revoke(principal, String(data.get("session") ?? ""));
  });
}

export async function rotateKeys(data: FormData): Promise<void> {
  await run(String(data.get("csrf") ?? ""), "/admin/keys", async (principal) => {
    await (await getRuntime()).admin.keys.rotate(principal);
  });
}

/** Bound to the resource's name by its page. */
export async function updateApiResource(name: string, csrf: string, values: ApiResourceFormValues): Promise<FormResult> {
  return run(csrf, `/admin/api-resources/${encodeURIComponent(name)}`, async (principal) => {
    await (await getRuntime()).admin.directory.apiResources.save(principal, apiResourceFromForm(values), name);
  });
}

export async function deleteApiResource(csrf: string, name: string): Promise<FormResult> {
  return run(csrf, "/admin/api-resources", async (principal) => {
    await (await getRuntime()).admin.directory.apiResources.remove(principal, name);
    return { next: "/admin/api-resources" };
  });
}

export async function addApiSecret(csrf: string, name: string, description: string): Promise<FormResult & { secret?: string }> {
  let value: string | undefined;
  const r = await run(csrf, `/admin/api-resources/${encodeURIComponent(name)}`, async (principal) => {
    value = (await (await getRuntime()).admin.directory.apiResources.addSecret(principal, name, description ? { description } : {})).secret_value;
  });
  return { ...r, ...(value ? { secret: value } : {}) };
}

export async function removeApiSecret(csrf: string, name: string, secretId: string): Promise<FormResult> {
  return run(csrf, `/admin/api-resources/${encodeURIComponent(name)}`, async (principal) => {
    await (await getRuntime()).admin.directory.apiResources.removeSecret(principal, name, secretId);
  });
}

export async function saveIdentityResource(csrf: string, values: IdentityFormValues): Promise<FormResult> {
  return run(csrf, "/admin/api-resources", async (principal) => {
    await (await getRuntime()).admin.directory.identityResources.save(principal, identityFromForm(values));
  });
}

export async function identityCommand(data: FormData): Promise<void> {
  await run(String(data.get("csrf") ?? ""), "/admin/api-resources", async (principal) => {
    await (await getRuntime()).admin.directory.identityResources.remove(principal, String(data.get("name") ?? ""));
  });
}

/** Bound to the username by the user's page; the other stored claims are kept. */
export async function updateUser(username: string, csrf: string, values: UserFormValues): Promise<FormResult> {
  return run(csrf, `/admin/users/${encodeURIComponent(username)}`, async (principal) => {
    const { directory } = (await getRuntime()).admin;
    const current = await directory.users.get(principal, username);
    const next = userFromForm(values);
    await directory.users.save(principal, { ...next, locked: current.locked, claims: { ...current.claims, ...(next.claims as object) } }, username);
  });
}

/** Bound to the username by the user's page. */
export async function setUserPassword(username: string, csrf: string, values: { password: string }): Promise<FormResult> {
  return run(csrf, `/admin/users/${encodeURIComponent(username)}`, async (principal) => {
    await (await getRuntime()).admin.directory.users.setPassword(principal, username, values);
  });
}

export async function deleteUser(csrf: string, username: string): Promise<FormResult> {
  return run(csrf, "/admin/users", async (principal) => {
    await (await getRuntime()).admin.directory.users.remove(principal, username);
    return { next: "/admin/users" };
  });
}
