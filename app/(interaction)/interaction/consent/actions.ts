"use server";

import { redirect } from "next/navigation";
import { consentInput } from "@/lib/schemas/interaction";
import { getRuntime } from "@/lib/runtime";
import { checkFormToken } from "@/lib/auth/csrf";
import { decideConsent } from "@/lib/oidc";
import { browserCookies } from "@/lib/next/request";
import { errorPageUrl } from "@/lib/oidc";

export async function consent(data: FormData): Promise<void> {
  const parsed = consentInput.safeParse({
    interaction: data.get("interaction"),
    csrf: data.get("csrf"),
    decision: data.get("decision"),
    scopes: data.getAll("scopes"),
    remember: data.get("remember") === "on",
  });
  const { provider } = await getRuntime();
  const fail = async (description: string) => redirect(await errorPageUrl(provider, "invalid_request", description));
  if (!parsed.success) await fail("the consent form was incomplete");
  const input = parsed.data!;
  const browser = await browserCookies();
  if (!(await checkFormToken(provider, browser.csrf, `consent:${input.interaction}`, input.csrf)))
    await fail("the consent form has expired: start again from the application");
  const next = await decideConsent(provider, input.interaction, browser.session, {
    allow: input.decision === "allow",
    scopes: input.scopes,
    remember: input.remember,
  });
  if (!next) await fail("the sign-in request has expired: start again from the application");
  redirect(next!);
}
