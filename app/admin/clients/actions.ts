"use server";

import { getRuntime } from "@/lib/runtime";
import { adminAction, type ActionResult } from "@/lib/next/admin-action";
import { fromForm, type ClientFormValues } from "@/lib/schemas/client-form";

export type { ActionResult };

const run = (csrf: string, fn: Parameters<typeof adminAction>[2]) => adminAction(csrf, "/admin/clients", fn);

export async function createClient(csrf: string, values: ClientFormValues): Promise<ActionResult> {
  return run(csrf, async (principal) => {
    const { admin } = await getRuntime();
    const { client, client_secret } = await admin.clients.create(principal, fromForm(values));
    return { next: `/admin/clients/${encodeURIComponent(client.client_id)}`, ...(client_secret ? { secret: client_secret } : {}) };
  });
}

/** Bound to its client id by the page: (clientId)(csrf, values). */
export async function updateClient(clientId: string, csrf: string, values: ClientFormValues): Promise<ActionResult> {
  return run(csrf, async (principal) => {
    const { clients } = (await getRuntime()).admin;
    // The form does not show jwks, policy and terms URIs: keep the stored ones.
    const { jwks, policy_uri, tos_uri } = await clients.get(principal, clientId);
    await clients.update(principal, clientId, { jwks, policy_uri, tos_uri, ...fromForm(values) });
  });
}

export async function deleteClient(csrf: string, clientId: string): Promise<ActionResult> {
  return run(csrf, async (principal) => {
    await (await getRuntime()).admin.clients.remove(principal, clientId);
  });
}

export async function addSecret(csrf: string, clientId: string, description: string): Promise<ActionResult> {
  return run(csrf, async (principal) => {
    const { client_secret } = await (await getRuntime()).admin.clients.addSecret(principal, clientId, description ? { description } : {});
    return { secret: client_secret };
  });
}

export async function removeSecret(csrf: string, clientId: string, secretId: string): Promise<ActionResult> {
  return run(csrf, async (principal) => {
    await (await getRuntime()).admin.clients.removeSecret(principal, clientId, secretId);
  });
}
