import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/admin/table";
import { IdentityProviderForm } from "@/components/admin/identity-provider-form";
import { ProviderIcon } from "@/components/interaction/external-buttons";
import { adminFormToken, requireAdmin, textParam } from "@/lib/next/admin-session";
import { typeDefaults } from "@/lib/auth/external/settings";
import { PRESET_NAMES, PROVIDER_TYPES, type ProviderType } from "@/lib/schemas/identity-provider";
import { emptyProviderForm } from "@/lib/schemas/identity-provider-form";
import { createIdentityProvider } from "../actions";

export const metadata: Metadata = { title: "Add identity provider" };

const KINDS: { type: ProviderType; title: string; explain: string }[] = [
  {
    type: "oidc",
    title: "Any OpenID Connect provider",
    explain: "Found by its issuer URL (Keycloak, Okta, Auth0, Authentik, another Portcullis…).",
  },
  {
    type: "oauth2",
    title: "OAuth 2.0 with explicit endpoints",
    explain: "For a provider without OpenID Connect: you give its authorization, token and userinfo endpoints.",
  },
];

const PRESET_EXPLAIN: Record<string, string> = {
  github: "github.com or a GitHub Enterprise Server (OAuth 2.0).",
  google: "Google accounts (OpenID Connect).",
  "microsoft-entra-id": "Work, school or personal Microsoft accounts (OpenID Connect).",
  gitlab: "gitlab.com or a self-managed GitLab (OpenID Connect).",
};

const choice =
  "flex items-start gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm hover:border-indigo-400 hover:bg-indigo-50 focus-visible:outline-2 focus-visible:outline-indigo-600";

export default async function NewIdentityProviderPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const asked = textParam((await searchParams).type);
  const type = (PROVIDER_TYPES as readonly string[]).includes(asked ?? "") ? (asked as ProviderType) : null;
  await requireAdmin(type ? `/admin/identity-providers/new?type=${type}` : "/admin/identity-providers/new");
  if (!type) {
    return (
      <div className="flex flex-col gap-6">
        <PageHeader title="Add identity provider" />
        <section aria-labelledby="presets" className="flex flex-col gap-3">
          <h2 id="presets" className="text-lg font-semibold">
            A well-known provider
          </h2>
          <ul className="grid gap-3 sm:grid-cols-2">
            {PRESET_NAMES.map((name) => {
              const d = typeDefaults(name);
              return (
                <li key={name}>
                  <Link href={`/admin/identity-providers/new?type=${name}`} className={choice}>
                    <ProviderIcon icon={d.icon} />
                    <span>
                      <span className="block font-semibold text-slate-900">{d.displayName}</span>
                      <span className="block text-sm text-slate-600">{PRESET_EXPLAIN[name]}</span>
                    </span>
                  </Link>
                </li>
              );
            })}
          </ul>
        </section>
        <section aria-labelledby="kinds" className="flex flex-col gap-3">
          <h2 id="kinds" className="text-lg font-semibold">
            Another provider
          </h2>
          <ul className="grid gap-3 sm:grid-cols-2">
            {KINDS.map((k) => (
              <li key={k.type}>
                <Link href={`/admin/identity-providers/new?type=${k.type}`} className={choice}>
                  <ProviderIcon icon={null} />
                  <span>
                    <span className="block font-semibold text-slate-900">{k.title}</span>
                    <span className="block text-sm text-slate-600">{k.explain}</span>
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      </div>
    );
  }
  const d = typeDefaults(type);
  const title = d.icon ? d.displayName : KINDS.find((k) => k.type === type)!.title;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title={`Add ${title}`}
        action={
          <Link href="/admin/identity-providers/new" className="text-sm text-indigo-700 underline">
            Choose another type
          </Link>
        }
      />
      <section className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <IdentityProviderForm
          csrf={await adminFormToken()}
          submit={createIdentityProvider}
          defaults={{ ...emptyProviderForm(type, d.icon ? d.displayName : ""), id: d.icon ? type : "" }}
          typeDefaults={d}
        />
      </section>
    </div>
  );
}
