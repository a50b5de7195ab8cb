"use client";

import { useFieldArray, type UseFormReturn } from "react-hook-form";
import { EntityForm } from "./entity-form";
import { Field } from "@/components/ui/field";
import type { ActionResult } from "@/lib/next/admin-action";
import { identityProviderInput, identityProviderReplace, type FirstLoginPolicy } from "@/lib/schemas/identity-provider";
import {
  LOCATION_FIELDS,
  providerFormField,
  providerFromForm,
  type IdentityProviderFormValues,
  type LocationField,
} from "@/lib/schemas/identity-provider-form";
import type { TypeDefaults } from "@/lib/auth/external/settings";

type Form = UseFormReturn<IdentityProviderFormValues>;
type ErrorOf = (name: string) => string | undefined;

const LOCATION_LABELS: Record<LocationField, string> = {
  issuer: "Issuer URL",
  authorization_endpoint: "Authorization endpoint",
  token_endpoint: "Token endpoint",
  userinfo_endpoint: "Userinfo endpoint",
  tenant: "Tenant",
};

/** What each location field means for a type, in plain words. */
function locationHint(d: TypeDefaults, field: LocationField): string {
  if (field === "tenant")
    return "common (any work, school or personal account), organizations, consumers, or your tenant's id (a GUID). Empty: common.";
  if (d.type === "oidc")
    return "Where the provider's discovery document lives: {issuer}/.well-known/openid-configuration. It must equal the document's issuer exactly.";
  if (d.type === "gitlab") return `Only for a self-managed GitLab: its base URL. Empty: ${d.issuer}.`;
  if (d.type === "github" && field === "issuer") return "GitHub Enterprise Server only: the iss it sends back (optional).";
  if (d.type === "github")
    return `GitHub Enterprise Server only: give all three endpoints. Empty: ${d.endpoints?.[endpointKey(field)] ?? "github.com"}.`;
  if (field === "issuer") return "Optional: the iss the provider sends back with the code (RFC 9207), checked when given.";
  return "";
}

const endpointKey = (f: LocationField) =>
  f === "authorization_endpoint" ? "authorization" : f === "token_endpoint" ? "token" : ("userinfo" as const);

const FIRST_LOGIN: { value: FirstLoginPolicy; label: string; explain: string }[] = [
  {
    value: "create_or_link",
    label: "Create or link",
    explain:
      "If a user here has the same email, link to that account (after its password, or silently with trusted emails); otherwise create a new user.",
  },
  {
    value: "create",
    label: "Create only",
    explain: "Always create a new user on the first sign-in. If the email already belongs to a user here, the sign-in is refused.",
  },
  {
    value: "link",
    label: "Link only",
    explain: "Only people who already have an account here (the same email) can use this provider; nobody new is created.",
  },
];

export function IdentityProviderForm({
  csrf,
  submit,
  defaults,
  typeDefaults,
  editing = false,
  hasSecret = false,
}: {
  csrf: string;
  submit: (csrf: string, values: IdentityProviderFormValues) => Promise<ActionResult>;
  defaults: IdentityProviderFormValues;
  typeDefaults: TypeDefaults;
  editing?: boolean;
  hasSecret?: boolean;
}) {
  const d = typeDefaults;
  const locations = LOCATION_FIELDS[defaults.type];
  return (
    <EntityForm<IdentityProviderFormValues>
      csrf={csrf}
      submit={submit}
      schema={editing ? identityProviderReplace : identityProviderInput}
      convert={providerFromForm}
      fields={{ field: providerFormField }}
      label={editing ? "Save changes" : "Add identity provider"}
      defaults={defaults}
    >
      {(form, error) => (
        <>
          <fieldset className="grid gap-5 sm:grid-cols-2">
            <legend className="mb-3 text-base font-semibold text-slate-900">Provider</legend>
            <Field
              id="id"
              label="ID (in the callback URL: lowercase letters, digits, - or _)"
              readOnly={editing}
              autoComplete="off"
              error={error("id")}
              {...form.register("id")}
            />
            <Field id="display_name" label="Name on the login button" error={error("display_name")} {...form.register("display_name")} />
          </fieldset>

          <fieldset className="flex flex-col gap-4">
            <legend className="mb-3 text-base font-semibold text-slate-900">Where the provider is</legend>
            {d.kind === "oidc" && d.issuer ? (
              <p className="text-sm text-slate-600">
                By default {d.displayName} is found by its discovery document at <code className="break-all">{d.issuer}</code>.
              </p>
            ) : null}
            {d.type === "github" && d.endpoints ? (
              <p className="text-sm text-slate-600">
                GitHub has no OpenID Connect for users: Portcullis uses its OAuth 2.0 endpoints (github.com unless you give those of a
                GitHub Enterprise Server) and reads the verified primary email from its API.
              </p>
            ) : null}
            {locations.length ? (
              <div className="grid gap-5 sm:grid-cols-2">
                {locations.map(({ field, required }) => (
                  <div key={field} className="flex flex-col gap-1">
                    <Field
                      id={field}
                      label={`${LOCATION_LABELS[field]}${required ? "" : " (optional)"}`}
                      type={field === "tenant" ? "text" : "url"}
                      inputMode={field === "tenant" ? undefined : "url"}
                      autoComplete="off"
                      placeholder={field === "tenant" ? "common" : "https://"}
                      error={error(field)}
                      {...form.register(field)}
                    />
                    <p className="text-xs text-slate-500">{locationHint(d, field)}</p>
                  </div>
                ))}
              </div>
            ) : (
              <p className="text-sm text-slate-600">Nothing to set here.</p>
            )}
          </fieldset>

          <fieldset className="grid gap-5 sm:grid-cols-2">
            <legend className="mb-3 text-base font-semibold text-slate-900">Client registered at the provider</legend>
            <Field id="client_id" label="Client ID" autoComplete="off" error={error("client_id")} {...form.register("client_id")} />
            <div className="flex flex-col gap-1">
              <Field
                id="client_secret"
                label="Client secret"
                type="password"
                autoComplete="new-password"
                aria-describedby="client_secret-hint"
                error={error("client_secret")}
                {...form.register("client_secret")}
              />
              <p id="client_secret-hint" className="text-xs text-slate-500">
                {editing
                  ? hasSecret
                    ? "A secret is set. Leave empty to keep the current secret; it is never shown again."
                    : "No secret is set (a public client, PKCE only). Type one to set it."
                  : "Stored encrypted and never shown again. Leave empty for a public client (PKCE only)."}
              </p>
              {editing && hasSecret ? (
                <label className="mt-1 flex items-center gap-2 text-sm">
                  <input type="checkbox" className="h-4 w-4" {...form.register("remove_secret")} /> Remove the current secret
                </label>
              ) : null}
            </div>
            <div className="flex flex-col gap-1 sm:col-span-2">
              <Field
                id="scope"
                label="Scopes asked for (space-separated, optional)"
                autoComplete="off"
                placeholder={d.scope}
                error={error("scope")}
                {...form.register("scope")}
              />
              <p className="text-xs text-slate-500">Empty: the default, {d.scope}.</p>
            </div>
          </fieldset>

          <ClaimRows form={form} error={error} defaults={d.claims} />

          <fieldset className="flex flex-col gap-3">
            <legend className="mb-3 text-base font-semibold text-slate-900">First sign-in of someone new</legend>
            {FIRST_LOGIN.map((p) => (
              <label key={p.value} className="flex items-start gap-3 text-sm">
                <input type="radio" value={p.value} className="mt-0.5 h-4 w-4" {...form.register("first_login")} />
                <span>
                  <span className="font-medium">{p.label}.</span> <span className="text-slate-600">{p.explain}</span>
                </span>
              </label>
            ))}
            {error("first_login") ? <p className="text-sm text-red-600">{error("first_login")}</p> : null}
            <label className="mt-2 flex items-start gap-3 text-sm">
              <input type="checkbox" className="mt-0.5 h-4 w-4" {...form.register("trust_email")} />
              <span>
                <span className="font-medium">Trust this provider&apos;s verified emails.</span>{" "}
                <span className="text-slate-600">
                  Link to the user here with the same verified email without asking for their password. Only for a provider that really
                  verifies addresses.
                </span>
              </span>
            </label>
          </fieldset>

          <fieldset className="flex flex-col gap-3">
            <legend className="mb-3 text-base font-semibold text-slate-900">On the login page</legend>
            <div className="flex flex-col gap-1.5">
              <label htmlFor="email_domains" className="text-sm font-medium text-slate-700">
                Email domains (optional, one per line)
              </label>
              <textarea
                id="email_domains"
                rows={3}
                aria-invalid={error("email_domains") ? true : undefined}
                aria-describedby={error("email_domains") ? "email_domains-error email_domains-hint" : "email_domains-hint"}
                className={`rounded-lg border px-3 py-2 font-mono text-sm ${error("email_domains") ? "border-red-500" : "border-slate-300"}`}
                {...form.register("email_domains")}
              />
              {error("email_domains") ? (
                <p id="email_domains-error" className="text-sm text-red-600">
                  {error("email_domains")}
                </p>
              ) : null}
              <p id="email_domains-hint" className="text-xs text-slate-500">
                Someone who types an address at one of these domains is sent straight to this provider.
              </p>
            </div>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" className="h-4 w-4" {...form.register("enabled")} /> Enabled: show &quot;Sign in with{" "}
              {form.watch("display_name") || d.displayName}&quot; on the login page
            </label>
          </fieldset>
        </>
      )}
    </EntityForm>
  );
}

/** The claim mapping's rows: local claim <- upstream claim, over the type's defaults (shown). */
function ClaimRows({ form, error, defaults }: { form: Form; error: ErrorOf; defaults: Record<string, string> }) {
  const rows = useFieldArray({ control: form.control, name: "claims" });
  const problem = error("claims");
  return (
    <fieldset className="flex flex-col gap-3" aria-describedby={problem ? "claims-error" : undefined}>
      <legend className="mb-3 text-base font-semibold text-slate-900">Claims</legend>
      <p className="text-sm text-slate-600">
        Where each claim of a user here is read from in what the provider sends. <code>sub</code>, <code>email</code> and{" "}
        <code>email_verified</code> say where the account&apos;s id and email come from. Rows here replace or add to the defaults.
      </p>
      <details open className="text-sm">
        <summary className="cursor-pointer text-indigo-700">Default mapping ({Object.keys(defaults).length} claims)</summary>
        <ul className="mt-2 grid gap-x-6 font-mono text-xs text-slate-700 sm:grid-cols-2">
          {Object.entries(defaults).map(([local, upstream]) => (
            <li key={local}>
              {local} ← {upstream}
            </li>
          ))}
        </ul>
      </details>
      {rows.fields.map((row, i) => (
        <div key={row.id} className="grid gap-2 sm:grid-cols-[1fr_auto_1fr_auto] sm:items-end">
          <div className="min-w-0 flex-1">
            <Field
              id={`claims-${i}-local`}
              label={`Claim here (row ${i + 1})`}
              autoComplete="off"
              {...form.register(`claims.${i}.local`)}
            />
          </div>
          <span aria-hidden="true" className="hidden pb-2.5 text-slate-500 sm:block">
            ←
          </span>
          <div className="min-w-0">
            <Field
              id={`claims-${i}-upstream`}
              label={`Claim at the provider (row ${i + 1})`}
              autoComplete="off"
              {...form.register(`claims.${i}.upstream`)}
            />
          </div>
          <button
            type="button"
            className="justify-self-start rounded-md px-3 py-2 text-sm font-medium text-red-700 ring-1 ring-slate-300 hover:bg-red-50"
            onClick={() => rows.remove(i)}
          >
            Remove row {i + 1}
          </button>
        </div>
      ))}
      {problem ? (
        <p id="claims-error" className="text-sm text-red-600">
          {problem}
        </p>
      ) : null}
      <div>
        <button
          type="button"
          className="rounded-md bg-white px-3 py-1.5 text-sm font-medium ring-1 ring-slate-300 hover:bg-slate-50"
          onClick={() => rows.append({ local: "", upstream: "" })}
        >
          Add a claim
        </button>
      </div>
    </fieldset>
  );
}
