import type { Metadata } from "next";
import { AuthShell } from "@/components/ui/auth-shell";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Pages } from "@/lib/oidc";
import { getRuntime } from "@/lib/runtime";
import { lifecycleForm, lifecycleToken } from "@/lib/next/lifecycle";
import { confirmEmail, resendLink } from "./actions";

export const metadata: Metadata = { title: "Confirm your email" };
export const dynamic = "force-dynamic";

const ERRORS: Record<string, string> = {
  expired: "This form has expired. Reload the page and try again.",
  throttled: "A link was sent a moment ago. Wait a minute, check your mail, then try again.",
  unknown: "Sign in again first: we need your password before we send a new link.",
};

type Search = { token?: string; interaction?: string; done?: string; resend?: string; sent?: string; error?: string };

export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<Search> }) {
  const s = await searchParams;
  const interaction = typeof s.interaction === "string" && s.interaction ? s.interaction.slice(0, 100) : undefined;
  const signIn = interaction ? `${Pages.login}?${new URLSearchParams({ interaction })}` : "/account";
  const error = s.error && Object.hasOwn(ERRORS, s.error) ? ERRORS[s.error] : undefined;
  const continueLink = (
    <p className="mt-6 text-center text-sm">
      <a href={signIn} className="font-medium text-indigo-700 hover:underline">
        Continue to sign in
      </a>
    </p>
  );

  if (s.done === "verified") {
    return (
      <AuthShell title="Email confirmed">
        <Alert tone="info">Thank you: your email address is confirmed. You can sign in now.</Alert>
        {continueLink}
      </AuthShell>
    );
  }
  if (s.done === "taken") {
    return (
      <AuthShell title="Email not confirmed">
        <Alert>This address now belongs to another account, so it was not added to yours.</Alert>
        {continueLink}
      </AuthShell>
    );
  }
  if (s.resend) {
    return (
      <AuthShell title="Send the link again">
        {s.sent ? (
          <Alert tone="info">We sent a new link. Open it to confirm your email, then sign in.</Alert>
        ) : (
          <form action={resendLink} className="flex flex-col gap-5">
            {error ? <Alert>{error}</Alert> : null}
            <p className="text-sm text-slate-600">We send a new confirmation link to the address of the account you just signed in to.</p>
            <input type="hidden" name="csrf" value={await lifecycleToken(lifecycleForm("resend"))} />
            {interaction ? <input type="hidden" name="interaction" value={interaction} /> : null}
            <Button type="submit">Send a new link</Button>
          </form>
        )}
        {continueLink}
      </AuthShell>
    );
  }
  const { lifecycle } = await getRuntime();
  const token = typeof s.token === "string" ? s.token : undefined;
  const pending = s.done ? null : await lifecycle.verificationOf(token);
  if (!pending) {
    return (
      <AuthShell title="Link not valid">
        <Alert>This link has expired or was already used. Sign in to get a new one.</Alert>
        {continueLink}
      </AuthShell>
    );
  }
  return (
    <AuthShell title="Confirm your email">
      <form action={confirmEmail} className="flex flex-col gap-5">
        {error ? <Alert>{error}</Alert> : null}
        <p className="text-sm text-slate-600">
          Confirm that <strong className="font-semibold text-slate-900">{pending.email}</strong> is your email address.
        </p>
        <input type="hidden" name="csrf" value={await lifecycleToken(lifecycleForm("verify"))} />
        <input type="hidden" name="token" value={token} />
        {interaction ? <input type="hidden" name="interaction" value={interaction} /> : null}
        <Button type="submit">Confirm my email</Button>
      </form>
    </AuthShell>
  );
}
