"use server";

import { redirect } from "next/navigation";
import { getRuntime } from "@/lib/runtime";
import { loginView, resumeUrl } from "@/lib/oidc";
import { SECOND_FACTOR, errorCode, secondFactorUrl, submitLogin } from "@/lib/next/login";
import { homeRealmUrl, linkProvenAccount } from "@/lib/next/external-login";
import { Pages } from "@/lib/oidc";

export async function login(data: FormData): Promise<void> {
  const interaction = String(data.get("interaction") ?? "").slice(0, 100);
  // Home realm discovery: an email of a provider's domain goes to that provider, no password checked.
  const realm = await homeRealmUrl(String(data.get("login") ?? "").trim(), interaction);
  if (realm) redirect(realm);
  const { provider } = await getRuntime();
  const failure = await submitLogin(data, `login:${interaction}`, async () => Boolean(await loginView(provider, interaction)));
  if (failure === SECOND_FACTOR) redirect(secondFactorUrl({ interaction }));
  if (failure) redirect(`${Pages.login}?${new URLSearchParams({ interaction, error: errorCode(failure) })}`);
  redirect(resumeUrl(provider, interaction));
}

/** The password proof of an external sign-in: sign in with the local password, then link and resume. */
export async function linkAccount(data: FormData): Promise<void> {
  const interaction = String(data.get("interaction") ?? "").slice(0, 100);
  const pendingLink = String(data.get("pending_link") ?? "").slice(0, 100);
  const { provider } = await getRuntime();
  let refused: string | null = null;
  const failure = await submitLogin(
    data,
    `login:${interaction}`,
    async () => Boolean(await loginView(provider, interaction)),
    async (handle) => (refused = await linkProvenAccount(pendingLink, interaction, handle)),
  );
  // With a second factor no session starts here, so nothing is linked: an external account must
  // not be joined to a user on the password alone. The user signs in and links again afterwards.
  if (failure === SECOND_FACTOR) redirect(secondFactorUrl({ interaction }));
  if (refused) redirect(`${Pages.login}?${new URLSearchParams({ interaction, external_error: refused })}`);
  if (failure) redirect(`${Pages.login}?${new URLSearchParams({ interaction, external_link: pendingLink, error: errorCode(failure) })}`);
  redirect(resumeUrl(provider, interaction));
}
