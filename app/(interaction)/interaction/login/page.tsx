import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthShell } from "@/components/ui/auth-shell";
import { Alert } from "@/components/ui/alert";
import { LoginForm } from "@/components/interaction/login-form";
import { ExternalButtons } from "@/components/interaction/external-buttons";
import { LifecycleLinks } from "@/components/interaction/lifecycle-links";
import { formToken } from "@/lib/auth/csrf";
import { Pages, loginView } from "@/lib/oidc";
import { browserCookies } from "@/lib/next/request";
import { errorMessage, lastLogin } from "@/lib/next/login";
import { LINK_NOTICE, externalLoginView } from "@/lib/next/external-login";
import { getRuntime } from "@/lib/runtime";
import { PasskeySignIn } from "@/components/interaction/passkey-sign-in";
import { relyingParty } from "@/lib/auth/passkeys";
import { linkAccount, login } from "./actions";
import { interactionPasskeyOptions, interactionPasskeySignIn } from "./passkey-actions";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ interaction?: string; error?: string; external_error?: string; external_link?: string }>;
}) {
  const { interaction, error, external_error, external_link } = await searchParams;
  const { provider, settings } = await getRuntime();
  const view = await loginView(provider, interaction);
  if (!view || !interaction) {
    return (
      <AuthShell title="Sign in">
        <Alert>This sign-in request has expired or is unknown. Go back to the application and start again.</Alert>
      </AuthShell>
    );
  }
  const csrf = await formToken(provider, (await browserCookies()).csrf, `login:${interaction}`);
  const external = await externalLoginView(interaction, { external_error, external_link, idpHint: view.idpHint });
  if (external.direct && !error) redirect(external.direct);
  const subtitle = view.client ? (
    <>
      to continue to <strong className="font-semibold text-slate-900">{view.client.name}</strong>
    </>
  ) : undefined;

  if (external.pendingLink) {
    return (
      <AuthShell title="Sign in" subtitle={subtitle}>
        <LoginForm
          action={linkAccount}
          interaction={interaction}
          csrf={csrf}
          login={external.pendingLink.email}
          pendingLink={external.pendingLink.handle}
          notice={LINK_NOTICE}
          error={errorMessage(error)}
        />
        <p className="mt-6 text-center text-sm">
          <a href={`${Pages.login}?${new URLSearchParams({ interaction })}`} className="font-medium text-indigo-700 hover:underline">
            Sign in another way
          </a>
        </p>
      </AuthShell>
    );
  }
  return (
    <AuthShell title="Sign in" subtitle={subtitle}>
      <LoginForm
        action={login}
        interaction={interaction}
        csrf={csrf}
        login={(error && (await lastLogin())) || view.loginHint}
        error={errorMessage(error) ?? external.error}
        passwordOptional={external.homeRealms}
        webauthn
      />
      <PasskeySignIn
        start={interactionPasskeyOptions.bind(null, interaction, csrf)}
        finish={interactionPasskeySignIn.bind(null, interaction, csrf)}
        rpOrigin={relyingParty(provider).origin}
      />
      <ExternalButtons buttons={external.buttons} />
      <LifecycleLinks interaction={interaction} signUp={(await settings.get()).signUp.enabled} unverified={error === "unverified"} />
    </AuthShell>
  );
}
