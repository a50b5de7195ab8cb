import type { Metadata } from "next";
import { AuthShell } from "@/components/ui/auth-shell";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { formToken } from "@/lib/auth/csrf";
import { logoutView } from "@/lib/oidc";
import { browserCookies } from "@/lib/next/request";
import { getRuntime } from "@/lib/runtime";
import { logout } from "./actions";

export const metadata: Metadata = { title: "Sign out" };
export const dynamic = "force-dynamic";

export default async function LogoutPage({ searchParams }: { searchParams: Promise<{ interaction?: string }> }) {
  const { interaction } = await searchParams;
  const { provider } = await getRuntime();
  const view = await logoutView(provider, interaction);
  if (!view || !interaction) {
    return (
      <AuthShell title="Sign out">
        <Alert>This sign-out request has expired or is unknown.</Alert>
      </AuthShell>
    );
  }
  const csrf = await formToken(provider, (await browserCookies()).csrf, `logout:${interaction}`);
  return (
    <AuthShell
      title="Sign out?"
      subtitle={view.client ? <>{view.client.name} asks to sign you out of Portcullis.</> : "Do you want to sign out of Portcullis?"}
    >
      <form action={logout} className="flex flex-col gap-3 sm:flex-row sm:justify-end">
        <input type="hidden" name="interaction" value={interaction} />
        <input type="hidden" name="csrf" value={csrf} />
        <Button type="submit">Yes, sign me out</Button>
      </form>
    </AuthShell>
  );
}
