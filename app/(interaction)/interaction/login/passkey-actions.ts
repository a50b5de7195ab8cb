"use server";

import { getRuntime } from "@/lib/runtime";
import { loginView, resumeUrl } from "@/lib/oidc";
import { passkeySignIn, passkeySignInOptions, slotOf, type PasskeyAnswer } from "@/lib/next/passkeys";

const idOf = (interaction: unknown) => (typeof interaction === "string" ? interaction.slice(0, 100) : "");

async function stillValid(interaction: string) {
  const { provider } = await getRuntime();
  return Boolean(interaction && (await loginView(provider, interaction)));
}

/** Options for a passwordless sign-in of this authorization interaction. */
export async function interactionPasskeyOptions(interaction: unknown, csrf: unknown, autofill: unknown) {
  const id = idOf(interaction);
  return passkeySignInOptions(`login:${id}`, csrf, () => stillValid(id), slotOf(autofill));
}

/** Verifies the passkey; on success the browser goes on with the authorization request. */
export async function interactionPasskeySignIn(
  interaction: unknown,
  csrf: unknown,
  autofill: unknown,
  response: unknown,
): Promise<PasskeyAnswer<{ redirect: string }>> {
  const id = idOf(interaction);
  const result = await passkeySignIn(`login:${id}`, csrf, response, () => stillValid(id), slotOf(autofill));
  if (!result.ok) return result;
  const { provider } = await getRuntime();
  return { ok: true, redirect: resumeUrl(provider, id) };
}
