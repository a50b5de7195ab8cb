"use server";

import { adminAction, formText, type ActionResult } from "@/lib/next/admin-action";
import { apiResourceFromForm, identityFromForm, type ApiResourceFormValues, type IdentityFormValues } from "@/lib/schemas/admin-forms";

const RESOURCES = "/admin/api-resources";
const page = (name: string) => `${RESOURCES}/${encodeURIComponent(name)}`;

export async function createApiResource(csrf: string, values: ApiResourceFormValues): Promise<ActionResult> {
  return adminAction(csrf, RESOURCES, async (principal, { directory }) => {
    await directory.apiResources.save(principal, apiResourceFromForm(values));
    return { next: RESOURCES };
  });
}

/** Bound to the resource's name by its page. */
export async function updateApiResource(name: string, csrf: string, values: ApiResourceFormValues): Promise<ActionResult> {
  return adminAction(csrf, page(name), async (principal, { directory }) => {
    await directory.apiResources.save(principal, apiResourceFromForm(values), name);
  });
}

export async function deleteApiResource(csrf: string, name: string): Promise<ActionResult> {
  return adminAction(csrf, RESOURCES, async (principal, { directory }) => {
    await directory.apiResources.remove(principal, name);
    return { next: RESOURCES };
  });
}

export async function addApiSecret(csrf: string, name: string, description: string): Promise<ActionResult> {
  return adminAction(csrf, page(name), async (principal, { directory }) => {
    const { secret_value } = await directory.apiResources.addSecret(principal, name, description ? { description } : {});
    return { secret: secret_value };
  });
}

export async function removeApiSecret(csrf: string, name: string, secretId: string): Promise<ActionResult> {
  return adminAction(csrf, page(name), async (principal, { directory }) => {
    await directory.apiResources.removeSecret(principal, name, secretId);
  });
}

export async function saveIdentityResource(csrf: string, values: IdentityFormValues): Promise<ActionResult> {
  return adminAction(csrf, RESOURCES, async (principal, { directory }) => {
    await directory.identityResources.save(principal, identityFromForm(values));
  });
}

export async function deleteIdentityResource(_previous: ActionResult | null, data: FormData): Promise<ActionResult> {
  return adminAction(formText(data, "csrf"), RESOURCES, async (principal, { directory }) => {
    await directory.identityResources.remove(principal, formText(data, "name"));
  });
}
