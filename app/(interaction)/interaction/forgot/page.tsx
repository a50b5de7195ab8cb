import type { Metadata } from "next";
import { AuthShell } from "@/components/ui/auth-shell";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Pages } from "@/lib/oidc";
import { lifecycleForm, lifecycleToken } from "@/lib/next/lifecycle";
import { requestReset } from "./actions";

export const metadata: Metadata = { title: "Forgot password" };
export const dynamic = "force-dynamic";

const ERRORS: Record<string, string> = {
  fields: "Enter your username or email.",
  expired: "This form has expired. Reload the page and try again.",
  throttled: "Too many requests from your network. Wait a few minutes, then try again.",
};

export default async function ForgotPage({
  searchParams,
}: {
  searchParams: Promise<{ interaction?: string; sent?: string; error?: string }>;
}) {
  const { interaction: given, sent, error } = await searchParams;
  const interaction = typeof given === "string" && given ? given.slice(0, 100) : undefined;
  const back = interaction ? `${Pages.login}?${new URLSearchParams({ interaction })}` : "/account";
  const message = error && Object.hasOwn(ERRORS, error) ? ERRORS[error] : undefined;
  return (
    <AuthShell title="Forgot password">
      {sent ? (
        <Alert tone="info">
          If an account with a confirmed email matches what you entered, we sent it a link to choose a new password. The link works for 30
          minutes.
        </Alert>
      ) : (
        <form action={requestReset} noValidate className="flex flex-col gap-5">
          {message ? <Alert>{message}</Alert> : null}
          <p className="text-sm text-slate-600">
            Enter your username or email. We send a link to choose a new password to the account&apos;s confirmed email.
          </p>
          <input type="hidden" name="csrf" value={await lifecycleToken(lifecycleForm("forgot", interaction))} />
          {interaction ? <input type="hidden" name="interaction" value={interaction} /> : null}
          <Field
            id="login"
            name="login"
            label="Username or email"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            maxLength={254}
          />
          <Button type="submit">Send the link</Button>
        </form>
      )}
      <p className="mt-6 text-center text-sm">
        <a href={back} className="font-medium text-indigo-700 hover:underline">
          Back to sign in
        </a>
      </p>
    </AuthShell>
  );
}
