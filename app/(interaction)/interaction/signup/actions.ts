"use server";

import { redirect } from "next/navigation";
import { getRuntime } from "@/lib/runtime";
import { resumeUrl } from "@/lib/oidc";
import { passwordProblemMessage } from "@/lib/auth/password-policy";
import { signUpInput } from "@/lib/schemas/lifecycle";
import { CLAIM_RULES } from "@/lib/schemas/account";
import { LifecyclePages } from "@/lib/lifecycle/paths";
import { interactionOf, lifecycleForm, lifecycleTokenValid, setSessionCookie } from "@/lib/next/lifecycle";
import { clientMeta } from "@/lib/next/request";

export interface SignUpState {
  errors: Record<string, string>;
  /** what was typed, but the passwords */
  values: Record<string, string>;
  form?: string;
}

export async function signUp(_prev: SignUpState, data: FormData): Promise<SignUpState> {
  const raw = Object.fromEntries([...data.entries()].map(([k, v]) => [k, typeof v === "string" ? v.slice(0, 4000) : ""]));
  const values = Object.fromEntries(
    Object.entries(raw).filter(([k]) => !["password", "confirm", "csrf", "$ACTION_ID"].includes(k) && !k.startsWith("$")),
  );
  const interaction = raw.interaction || undefined;
  const fail = (errors: Record<string, string>, form?: string): SignUpState => ({ errors, values, form });
  const { settings, lifecycle } = await getRuntime();
  const portal = await settings.get();
  if (!portal.signUp.enabled) return fail({}, "Sign-up is closed.");
  if (!(await lifecycleTokenValid(lifecycleForm("signup", interaction), raw.csrf)))
    return fail({}, "This form has expired. Reload the page and try again.");
  if (interaction && !(await interactionOf(interaction)))
    return fail({}, "This sign-in request has expired. Go back to the application and start again.");

  const errors: Record<string, string> = {};
  const parsed = signUpInput.safeParse(raw);
  if (!parsed.success) for (const i of parsed.error.issues) errors[String(i.path[0])] ??= i.message;
  if (parsed.success && parsed.data.password !== parsed.data.confirm) errors.confirm = "The two passwords do not match.";
  const claims: Record<string, string> = {};
  for (const claim of portal.signUp.requiredClaims) {
    const value = (raw[`claim.${claim}`] ?? "").trim();
    const checked = CLAIM_RULES[claim].safeParse(value);
    if (!value) errors[`claim.${claim}`] = "Fill this in.";
    else if (!checked.success) errors[`claim.${claim}`] = checked.error.issues[0]?.message ?? "That is not valid.";
    else claims[claim] = value;
  }
  if ((portal.signUp.termsUrl || portal.signUp.privacyUrl) && raw.accept !== "yes")
    errors.accept = "Accept the terms to create an account.";
  if (Object.keys(errors).length || !parsed.success) return fail(errors);

  const meta = await clientMeta();
  const result = await lifecycle.signUp({ ...parsed.data, claims, interaction }, meta);
  switch (result.kind) {
    case "closed":
      return fail({}, "Sign-up is closed.");
    case "throttled":
      return fail({}, `Too many sign-ups from your network. Try again in ${result.retryAfter} seconds.`);
    case "username_taken":
      return fail({ username: "This username is taken. Choose another." });
    case "password":
      return fail({ password: passwordProblemMessage(result.problem, portal.password) });
    case "signed_in": {
      await setSessionCookie(result.handle);
      const { provider } = await getRuntime();
      redirect(interaction ? resumeUrl(provider, interaction) : "/account");
    }
    case "check_mail":
      redirect(`${LifecyclePages.signUp}?${new URLSearchParams({ sent: "1", ...(interaction ? { interaction } : {}) })}`);
  }
}
