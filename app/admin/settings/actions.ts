"use server";

import { adminAction, formText, type ActionResult } from "@/lib/next/admin-action";
import { getRuntime } from "@/lib/runtime";

/** The settings form as the service's update: checkboxes are "on" or absent; empty addresses are none. */
function settingsOf(data: FormData) {
  const url = (name: string) => formText(data, name).trim().slice(0, 2100) || undefined;
  const minLength = formText(data, "password.minLength").trim();
  return {
    signUp: {
      enabled: data.get("signUp.enabled") === "on",
      requireVerifiedEmail: data.get("signUp.requireVerifiedEmail") === "on",
      requiredClaims: data
        .getAll("signUp.requiredClaims")
        .slice(0, 50)
        .map((c) => String(c).slice(0, 50)),
      termsUrl: url("signUp.termsUrl"),
      privacyUrl: url("signUp.privacyUrl"),
    },
    password: { minLength: /^\d{1,4}$/.test(minLength) ? Number(minLength) : minLength },
    mfa: { required: data.get("mfa.required") === "on" },
  };
}

export async function saveSettings(_previous: ActionResult | null, data: FormData): Promise<ActionResult> {
  return adminAction(formText(data, "csrf"), "/admin/settings", async (principal) => {
    await (await getRuntime()).settings.update(principal, settingsOf(data));
  });
}
