"use server";

import { revalidatePath } from "next/cache";
import { getRuntime } from "@/lib/runtime";
import { requireAdminAction } from "@/lib/next/admin-session";
import { errorCodeOf, type ValidationError } from "@/lib/admin/clients";
import { fromForm, type ClientFormValues } from "@/lib/schemas/client-form";
import type { Problem } from "@/lib/admin/config-transfer";

export type ActionResult = { ok: true; clientId?: string; secret?: string } | { ok: false; message: string; fields?: Problem[] };

async function run(csrf: string, fn: (actor: Awaited<ReturnType<typeof requireAdminAction>>) => Promise<ActionResult>): Promise<ActionResult> {
  const actor = await requireAdminAction(csrf);
  try {
    const result = await fn(actor);
    revalidatePath("/admin/clients");
    return result;
  } catch (err) {
    if (errorCodeOf(err) === "validation_failed") return { ok: false, message: "Some fields need attention.", fields: (err as ValidationError).problems };
    if (errorCodeOf(err) === "not_found") return { ok: false, message: (err as Error).message };
    throw err;
  }
}

export async function createClient(csrf: string, values: ClientFormValues): Promise<ActionResult> {
  return run(csrf, async (actor) => {
    const { admin } = await getRuntime();
    const { client, client_secret } = await admin.clients.create(actor, fromForm(values));
    return { ok: true, clientId: client.client_id, ...(client_secret ? { secret: client_secret } : {}) };
  });
}

/** Bound to its client id by the page: (clientId)(csrf, values). */
export async function updateClient(clientId: string, csrf: string, values: ClientFormValues): Promise<ActionResult> {
  return run(csrf, async (actor) => {
    const { clients } = (await getRuntime()).admin;
    // The form does not show jwks, policy and terms URIs: keep the stored ones.
    const { jwks, policy_uri, tos_uri } = await clients.get(clientId);
    await clients.update(actor, clientId, { jwks, policy_uri, tos_uri, ...fromForm(values) });
    return { ok: true, clientId };
  });
}

export async function deleteClient(csrf: string, clientId: string): Promise<ActionResult> {
  return run(csrf, async (actor) => {
    await (await getRuntime()).admin.clients.remove(actor, clientId);
    return { ok: true };
  });
}

export async function addSecret(csrf: string, clientId: string, description: string): Promise<ActionResult> {
  return run(csrf, async (actor) => {
    const { client_secret } = await (await getRuntime()).admin.clients.addSecret(actor, clientId, description ? { description } : {});
    revalidatePath(`/admin/clients/${clientId}`);
    return { ok: true, secret: client_secret };
  });
}

export async function removeSecret(csrf: string, clientId: string, secretId: string): Promise<ActionResult> {
  return run(csrf, async (actor) => {
    await (await getRuntime()).admin.clients.removeSecret(actor, clientId, secretId);
    revalidatePath(`/admin/clients/${clientId}`);
    return { ok: true };
  });
}
