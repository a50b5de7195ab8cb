"use server";

import { adminAction, formText, type ActionResult } from "@/lib/next/admin-action";
import type { ProviderCheck } from "@/lib/auth/external/check";

/** A check's findings, or why it could not run (expired form, no longer an admin, provider gone). */
export type CheckState = { result: ProviderCheck | null; failure: ActionResult | null };
import { providerFromForm, type IdentityProviderFormValues } from "@/lib/schemas/identity-provider-form";

const PROVIDERS = "/admin/identity-providers";
const page = (id: string) => `${PROVIDERS}/${encodeURIComponent(id)}`;

export async function createIdentityProvider(csrf: string, values: IdentityProviderFormValues): Promise<ActionResult> {
  return adminAction(csrf, PROVIDERS, async (principal, { identityProviders }) => {
    const created = await identityProviders.create(principal, providerFromForm(values));
    return { next: page(created.id) };
  });
}

/** Bound to the provider's id by its page; the whole description (an empty secret keeps the stored one). */
export async function updateIdentityProvider(id: string, csrf: string, values: IdentityProviderFormValues): Promise<ActionResult> {
  return adminAction(csrf, page(id), async (principal, { identityProviders }) => {
    await identityProviders.replace(principal, id, providerFromForm(values));
  });
}

export async function deleteIdentityProvider(csrf: string, id: string): Promise<ActionResult> {
  return adminAction(csrf, PROVIDERS, async (principal, { identityProviders }) => {
    await identityProviders.remove(principal, id);
    return { next: PROVIDERS };
  });
}

/** Enables or disables the provider named by the form (a plain form: works without JavaScript). */
export async function setIdentityProviderEnabled(_previous: ActionResult | null, data: FormData): Promise<ActionResult> {
  const id = formText(data, "id");
  return adminAction(formText(data, "csrf"), page(id), async (principal, { identityProviders }) => {
    await identityProviders.update(principal, id, { enabled: formText(data, "enabled") === "true" });
  });
}

/** Runs the provider's check; the result is shown beside the button (a plain form too). */
export async function checkIdentityProvider(_previous: CheckState | null, data: FormData): Promise<CheckState> {
  let result: ProviderCheck | null = null;
  const id = formText(data, "id");
  const failure = await adminAction(formText(data, "csrf"), page(id), async (principal, { identityProviders }) => {
    result = await identityProviders.check(principal, id);
  });
  return { result, failure: failure.ok ? null : failure };
}
