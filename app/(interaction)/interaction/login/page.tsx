import type { Metadata } from "next";
import { AuthShell } from "@/components/ui/auth-shell";
import { Alert } from "@/components/ui/alert";
import { LoginForm } from "@/components/interaction/login-form";
import { formToken } from "@/lib/auth/csrf";
import { loginView } from "@/lib/oidc";
import { browserCookies } from "@/lib/next/request";
import { errorMessage, lastLogin } from "@/lib/next/login";
import { getRuntime } from "@/lib/runtime";
import { login } from "./actions";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ interaction?: string; error?: string }> }) {
  const { interaction, error } = await searchParams;
  const { provider } = await getRuntime();
  const view = await loginView(provider, interaction);
  if (!view || !interaction) {
    return (
      <AuthShell title="Sign in">
        <Alert>This sign-in request has expired or is unknown. Go back to the application and start again.</Alert>
      </AuthShell>
    );
  }
  const csrf = await formToken(provider, (await browserCookies()).csrf, `login:${interaction}`);
  return (
    <AuthShell
      title="Sign in"
      subtitle={
        view.client ? (
          <>
            to continue to <strong className="font-semibold text-slate-900">{view.client.name}</strong>
          </>
        ) : undefined
      }
    >
      <LoginForm
        action={login}
        interaction={interaction}
        csrf={csrf}
        login={(error && (await lastLogin())) || view.loginHint}
        error={errorMessage(error)}
      />
    </AuthShell>
  );
}
