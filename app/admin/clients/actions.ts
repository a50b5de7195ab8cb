"use server";

import { adminAction, type ActionResult } from "@/lib/next/admin-action";
import { fromForm, type ClientFormValues } from "@/lib/schemas/client-form";

const CLIENTS = "/admin/clients";

export async function createClient(csrf: string, values: ClientFormValues): Promise<ActionResult> {
  return adminAction(csrf, CLIENTS, async (principal, { clients }) => {
    const { client, client_secret } = await clients.create(principal, fromForm(values));
    return { next: `${CLIENTS}/${encodeURIComponent(client.client_id)}`, ...(client_secret ? { secret: client_secret } : {}) };
  });
}

/** Bound to its client id by the page: (clientId)(csrf, values). */
export async function updateClient(clientId: string, csrf: string, values: ClientFormValues): Promise<ActionResult> {
  return adminAction(csrf, CLIENTS, async (principal, { clients }) => {
    // The form does not show jwks, policy and terms URIs: keep the stored ones.
    const { jwks, policy_uri, tos_uri } = await clients.get(principal, clientId);
    await clients.update(principal, clientId, { jwks, policy_uri, tos_uri, ...fromForm(values) });
  });
}

export async function deleteClient(csrf: string, clientId: string): Promise<ActionResult> {
  return adminAction(csrf, CLIENTS, async (principal, { clients }) => {
    await clients.remove(principal, clientId);
    return { next: CLIENTS };
  });
}

export async function addSecret(csrf: string, clientId: string, description: string): Promise<ActionResult> {
  return adminAction(csrf, CLIENTS, async (principal, { clients }) => {
    const { client_secret } = await clients.addSecret(principal, clientId, description ? { description } : {});
    return { secret: client_secret };
  });
}

export async function removeSecret(csrf: string, clientId: string, secretId: string): Promise<ActionResult> {
  return adminAction(csrf, CLIENTS, async (principal, { clients }) => {
    await clients.removeSecret(principal, clientId, secretId);
  });
}
