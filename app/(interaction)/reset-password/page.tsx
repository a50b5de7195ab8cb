import type { Metadata } from "next";
import { AuthShell } from "@/components/ui/auth-shell";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { passwordProblemMessage, type PasswordProblem } from "@/lib/auth/password-policy";
import { LifecyclePages } from "@/lib/lifecycle/paths";
import { getRuntime } from "@/lib/runtime";
import { lifecycleForm, lifecycleToken } from "@/lib/next/lifecycle";
import { resetPassword } from "./actions";

export const metadata: Metadata = { title: "Choose a new password" };
export const dynamic = "force-dynamic";

const PROBLEMS: PasswordProblem[] = ["too_short", "too_long", "common", "personal"];
const FORM_ERRORS: Record<string, string> = {
  expired: "This form has expired. Reload the page and try again.",
  password_empty: "Enter a new password.",
  mismatch: "The two passwords do not match.",
  other_user: "This link is for another account than the one signed in here. Sign out first, then open the link again.",
};

export default async function ResetPasswordPage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string; error?: string; done?: string; invalid?: string }>;
}) {
  const s = await searchParams;
  const { lifecycle, settings } = await getRuntime();
  const signIn = (
    <p className="mt-6 text-center text-sm">
      <a href="/account" className="font-medium text-indigo-700 hover:underline">
        Sign in
      </a>
    </p>
  );
  if (s.done) {
    return (
      <AuthShell title="Password changed">
        <Alert tone="info">
          Your new password is set. Every session of your account was signed out: sign in again with the new password.
        </Alert>
        {signIn}
      </AuthShell>
    );
  }
  const token = typeof s.token === "string" ? s.token : undefined;
  const target = s.invalid ? null : await lifecycle.resetOf(token);
  if (!target) {
    return (
      <AuthShell title="Link not valid">
        <Alert>This link has expired or was already used. Nothing was changed. Ask for a new one with “Forgot password?”.</Alert>
        <p className="mt-6 text-center text-sm">
          <a href={LifecyclePages.forgot} className="font-medium text-indigo-700 hover:underline">
            Forgot password?
          </a>
        </p>
      </AuthShell>
    );
  }
  const policy = (await settings.get()).password;
  const problem = PROBLEMS.find((p) => p === s.error);
  const passwordError = problem
    ? passwordProblemMessage(problem, policy)
    : s.error === "password_empty"
      ? FORM_ERRORS.password_empty
      : undefined;
  const formError =
    s.error && !problem && s.error !== "password_empty" && s.error !== "mismatch" && Object.hasOwn(FORM_ERRORS, s.error)
      ? FORM_ERRORS[s.error]
      : undefined;
  return (
    <AuthShell
      title="Choose a new password"
      subtitle={
        <>
          for <strong className="font-semibold text-slate-900">{target.username}</strong>
        </>
      }
    >
      <form action={resetPassword} noValidate className="flex flex-col gap-5">
        {formError ? <Alert>{formError}</Alert> : null}
        <input type="hidden" name="csrf" value={await lifecycleToken(lifecycleForm("reset"))} />
        <input type="hidden" name="token" value={token} />
        <input type="text" name="username" value={target.username} autoComplete="username" readOnly hidden />
        <Field id="password" name="password" type="password" label="New password" autoComplete="new-password" error={passwordError} />
        <Field
          id="confirm"
          name="confirm"
          type="password"
          label="Repeat the new password"
          autoComplete="new-password"
          error={s.error === "mismatch" ? FORM_ERRORS.mismatch : undefined}
        />
        <p className="-mt-3 text-xs text-slate-500">
          At least {policy.minLength} characters; not a common password, and not your username or email.
        </p>
        <Button type="submit">Set the new password</Button>
      </form>
    </AuthShell>
  );
}
