import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AuthShell } from "@/components/ui/auth-shell";
import { Alert } from "@/components/ui/alert";
import { SignUpForm } from "@/components/interaction/signup-form";
import { Pages } from "@/lib/oidc";
import { CLAIM_LABELS } from "@/lib/schemas/account";
import { getRuntime } from "@/lib/runtime";
import { interactionOf, lifecycleForm, lifecycleToken } from "@/lib/next/lifecycle";
import { signUp } from "./actions";

export const metadata: Metadata = { title: "Create an account" };
export const dynamic = "force-dynamic";

/** Sign-up: from the sign-in page of an authorization request (?interaction=) or on its own. */
export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ interaction?: string; sent?: string }> }) {
  const { interaction: given, sent } = await searchParams;
  const { settings } = await getRuntime();
  const portal = await settings.get();
  if (!portal.signUp.enabled) notFound();
  const interaction = typeof given === "string" && given ? given.slice(0, 100) : undefined;
  const view = await interactionOf(interaction);
  const back = interaction ? `${Pages.login}?${new URLSearchParams({ interaction })}` : "/account";
  if (view === null) {
    return (
      <AuthShell title="Create an account">
        <Alert>This sign-in request has expired or is unknown. Go back to the application and start again.</Alert>
      </AuthShell>
    );
  }
  if (sent) {
    return (
      <AuthShell title="Check your mail">
        <Alert tone="info">
          If the address can be used, we sent it a message. Open the link in it to confirm your email, then sign in.
        </Alert>
        <p className="mt-6 text-center text-sm">
          <a href={back} className="font-medium text-indigo-700 hover:underline">
            Back to sign in
          </a>
        </p>
      </AuthShell>
    );
  }
  const csrf = await lifecycleToken(lifecycleForm("signup", interaction));
  return (
    <AuthShell
      title="Create an account"
      subtitle={
        view?.client ? (
          <>
            to continue to <strong className="font-semibold text-slate-900">{view.client.name}</strong>
          </>
        ) : undefined
      }
    >
      <SignUpForm
        action={signUp}
        interaction={interaction}
        csrf={csrf}
        claims={portal.signUp.requiredClaims.map((claim) => ({ claim, label: CLAIM_LABELS[claim] }))}
        minLength={portal.password.minLength}
        termsUrl={portal.signUp.termsUrl}
        privacyUrl={portal.signUp.privacyUrl}
      />
      <p className="mt-6 text-center text-sm">
        Already have an account?{" "}
        <a href={back} className="font-medium text-indigo-700 hover:underline">
          Sign in
        </a>
      </p>
    </AuthShell>
  );
}
