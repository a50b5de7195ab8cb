import type { Metadata } from "next";
import { AuthShell } from "@/components/ui/auth-shell";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ScopeList } from "@/components/interaction/scope-list";
import { formToken } from "@/lib/auth/csrf";
import { consentView } from "@/lib/oidc";
import { browserCookies } from "@/lib/next/request";
import { getRuntime } from "@/lib/runtime";
import { consent } from "./actions";

export const metadata: Metadata = { title: "Allow access" };
export const dynamic = "force-dynamic";

export default async function ConsentPage({ searchParams }: { searchParams: Promise<{ interaction?: string }> }) {
  const { interaction } = await searchParams;
  const { provider } = await getRuntime();
  const browser = await browserCookies();
  const view = await consentView(provider, interaction, browser.session);
  if (!view || !interaction) {
    return (
      <AuthShell title="Allow access">
        <Alert>This request has expired or is unknown. Go back to the application and start again.</Alert>
      </AuthShell>
    );
  }
  const csrf = await formToken(provider, browser.csrf, `consent:${interaction}`);
  const clientName = view.client?.name ?? "An application";
  return (
    <AuthShell
      title={`${clientName} wants access`}
      subtitle={
        <>
          Signed in as <strong className="font-semibold text-slate-900">{view.user.name}</strong>. Choose what {clientName} may use.
        </>
      }
    >
      {view.client?.logoUri || view.client?.clientUri ? (
        <div className="mb-5 flex items-center gap-3">
          {view.client.logoUri ? (
            <img src={view.client.logoUri} alt={`${clientName} logo`} className="h-10 w-10 rounded-md object-contain" />
          ) : null}
          {view.client.clientUri ? (
            <a href={view.client.clientUri} className="text-sm text-indigo-700 underline" rel="noopener noreferrer">
              {view.client.clientUri}
            </a>
          ) : null}
        </div>
      ) : null}
      <form action={consent} className="flex flex-col gap-5">
        <input type="hidden" name="interaction" value={interaction} />
        <input type="hidden" name="csrf" value={csrf} />
        <ScopeList legend="Permissions" scopes={view.scopes} />
        {view.allowRemember ? (
          <div className="flex items-center gap-2">
            <input
              id="remember"
              type="checkbox"
              name="remember"
              defaultChecked
              className="h-4 w-4 rounded border-slate-300 text-indigo-600"
            />
            <label htmlFor="remember" className="text-sm text-slate-700">
              Remember my decision
            </label>
          </div>
        ) : null}
        <div className="flex flex-col-reverse gap-3 sm:flex-row sm:justify-end">
          <Button type="submit" name="decision" value="deny" variant="secondary">
            Deny
          </Button>
          <Button type="submit" name="decision" value="allow">
            Allow
          </Button>
        </div>
      </form>
    </AuthShell>
  );
}
