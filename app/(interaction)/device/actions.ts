"use server";

import { redirect } from "next/navigation";
import { deviceDecisionInput } from "@/lib/schemas/interaction";
import { getRuntime } from "@/lib/runtime";
import { checkFormToken } from "@/lib/auth/csrf";
import { decideDeviceRequest, Pages } from "@/lib/oidc";
import { browserCookies } from "@/lib/next/request";
import { deviceFormPurpose } from "@/lib/next/device";

/** The verification page's approve or deny (CSRF-checked); back to the page with the outcome. */
export async function decideDevice(data: FormData): Promise<void> {
  const parsed = deviceDecisionInput.safeParse({
    user_code: data.get("user_code"),
    csrf: data.get("csrf"),
    decision: data.get("decision"),
    scopes: data.getAll("scopes"),
  });
  if (!parsed.success) redirect(`${Pages.device}?${new URLSearchParams({ error: "incomplete" })}`);
  const input = parsed.data;
  const { provider } = await getRuntime();
  const browser = await browserCookies();
  if (!(await checkFormToken(provider, browser.csrf, deviceFormPurpose(input.user_code), input.csrf)))
    redirect(`${Pages.device}?${new URLSearchParams({ user_code: input.user_code, error: "expired" })}`);
  const outcome = await decideDeviceRequest(provider, input.user_code, browser.session, {
    allow: input.decision === "allow",
    scopes: input.scopes,
  });
  redirect(
    `${Pages.device}?${new URLSearchParams(outcome === "approved" || outcome === "denied" ? { done: outcome } : { user_code: input.user_code, error: outcome })}`,
  );
}
