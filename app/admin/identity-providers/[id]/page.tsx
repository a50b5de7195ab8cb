import type { Metadata } from "next";
import { CommandForm } from "@/components/admin/command-form";
import { ConfirmSubmit } from "@/components/admin/confirm-submit";
import { CopyField } from "@/components/admin/copy-field";
import { DeleteEntity } from "@/components/admin/delete-entity";
import { IdentityProviderForm } from "@/components/admin/identity-provider-form";
import { ProviderCheckPanel } from "@/components/admin/provider-check";
import { PageHeader, smallButton } from "@/components/admin/table";
import { ProviderIcon } from "@/components/interaction/external-buttons";
import { typeDefaults } from "@/lib/auth/external/settings";
import { adminFormToken, orNotFound, pathParam, requireAdmin } from "@/lib/next/admin-session";
import { providerToForm } from "@/lib/schemas/identity-provider-form";
import { getRuntime } from "@/lib/runtime";
import { checkIdentityProvider, deleteIdentityProvider, setIdentityProviderEnabled, updateIdentityProvider } from "../actions";

export const metadata: Metadata = { title: "Identity provider" };

export default async function IdentityProviderPage({ params }: { params: Promise<{ id: string }> }) {
  const raw = (await params).id;
  const { principal } = await requireAdmin(`/admin/identity-providers/${raw}`);
  const { admin } = await getRuntime();
  const { provider: p, has_client_secret } = await orNotFound(admin.identityProviders.details(principal, pathParam(raw)));
  const links = (await admin.identityProviders.linkCounts(principal))[p.id] ?? 0;
  const csrf = await adminFormToken();
  const d = typeDefaults(p.type);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title={p.display_name}
        action={
          <div className="flex flex-wrap items-center gap-2">
            <CommandForm action={setIdentityProviderEnabled} csrf={csrf} fields={{ id: p.id, enabled: String(!p.enabled) }}>
              {p.enabled ? (
                <ConfirmSubmit label="Disable" question="Hide this provider from the login page? Its users keep their links." />
              ) : (
                <button type="submit" className={smallButton}>
                  Enable
                </button>
              )}
            </CommandForm>
            <DeleteEntity
              id={p.id}
              csrf={csrf}
              remove={deleteIdentityProvider}
              what="identity provider"
              consequence={`Its ${links} linked ${links === 1 ? "login stays" : "logins stay"} on the users, marked "provider deleted", and no longer sign anyone in.`}
            />
          </div>
        }
      />
      <dl className="grid grid-cols-1 gap-x-6 gap-y-2 rounded-xl border border-slate-200 bg-white p-6 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="text-slate-500">Type</dt>
        <dd className="inline-flex items-center gap-2">
          <ProviderIcon icon={d.icon} /> {d.icon ? d.displayName : p.type === "oidc" ? "OpenID Connect" : "OAuth 2.0"}
        </dd>
        <dt className="text-slate-500">Status</dt>
        <dd data-testid="provider-status">{p.enabled ? "enabled (shown on the login page)" : "disabled (hidden from the login page)"}</dd>
        <dt className="text-slate-500">Linked logins</dt>
        <dd>{links}</dd>
      </dl>
      <section aria-labelledby="callback" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <h2 id="callback" className="mb-3 text-lg font-semibold">
          Callback URL
        </h2>
        <CopyField
          id="callback_url"
          label="Redirect URI to register at the provider"
          value={p.callback_url}
          hint="Register exactly this URL as the client's redirect (callback) URI at the provider."
        />
      </section>
      <section aria-labelledby="check" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <h2 id="check" className="mb-3 text-lg font-semibold">
          Check the provider
        </h2>
        <ProviderCheckPanel id={p.id} csrf={csrf} action={checkIdentityProvider} />
      </section>
      <section aria-labelledby="settings" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <h2 id="settings" className="mb-4 text-lg font-semibold">
          Settings
        </h2>
        <IdentityProviderForm
          csrf={csrf}
          submit={updateIdentityProvider.bind(null, p.id)}
          defaults={providerToForm(p)}
          typeDefaults={d}
          editing
          hasSecret={has_client_secret}
        />
      </section>
    </div>
  );
}
