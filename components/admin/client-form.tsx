"use client";

import { clientAdminInput } from "@/lib/schemas/client";
import { formField, formMessage, fromForm, type ClientFormValues } from "@/lib/schemas/client-form";
import type { ActionResult } from "@/lib/next/admin-action";
import { Field, SelectField } from "@/components/ui/field";
import { EntityForm, type FieldMap } from "./entity-form";

/** List items show at their list's field, settings the form does not show at the top (lib/schemas/client-form.ts). */
const CLIENT_FIELDS: FieldMap = { field: formField, message: formMessage };

const RESPONSE_TYPE_CHOICES = [
  ["code", "code (recommended: the code flow)"],
  ["code id_token", "code id_token (hybrid: an ID token beside the code)"],
  ["id_token", "id_token (the ID token alone, e.g. express-openid-connect with form_post)"],
] as const;

const GRANTS = [
  ["authorization_code", "Authorization code (sign users in)"],
  ["refresh_token", "Refresh token"],
  ["client_credentials", "Client credentials (machine to machine)"],
  ["urn:ietf:params:oauth:grant-type:device_code", "Device authorization (TVs, command-line tools)"],
  ["urn:ietf:params:oauth:grant-type:token-exchange", "Token exchange (RFC 8693)"],
] as const;

export function ClientForm({
  mode,
  defaults,
  csrf,
  submit,
}: {
  mode: "create" | "edit";
  defaults: ClientFormValues;
  csrf: string;
  submit: (csrf: string, values: ClientFormValues) => Promise<ActionResult>;
}) {
  return (
    <EntityForm<ClientFormValues>
      csrf={csrf}
      submit={submit}
      schema={clientAdminInput}
      convert={fromForm}
      fields={CLIENT_FIELDS}
      label={mode === "create" ? "Register client" : "Save changes"}
      defaults={defaults}
    >
      {(form, err) => {
        // For the controls that are not a Field: the error below them, linked for screen readers.
        const invalid = (name: string, id = name) => (err(name) ? { "aria-invalid": true, "aria-describedby": `${id}-error` } : {});
        const errorText = (name: string, id = name) =>
          err(name) ? (
            <p id={`${id}-error`} className="text-sm text-red-600">
              {err(name)}
            </p>
          ) : null;
        return (
          <>
            <div className="grid gap-5 sm:grid-cols-2">
              <Field id="client_id" label="Client ID" readOnly={mode === "edit"} error={err("client_id")} {...form.register("client_id")} />
              <Field id="client_name" label="Name" error={err("client_name")} {...form.register("client_name")} />
            </div>
            <div className="grid gap-5 sm:grid-cols-2">
              <SelectField
                id="token_endpoint_auth_method"
                label="Authentication method"
                options={[
                  ["client_secret_basic", "client_secret_basic (confidential)"],
                  ["client_secret_post", "client_secret_post (confidential)"],
                  ["private_key_jwt", "private_key_jwt (confidential, key pair)"],
                  ["none", "none (public: SPA, native)"],
                ]}
                error={err("token_endpoint_auth_method")}
                {...form.register("token_endpoint_auth_method")}
              />
              <SelectField
                id="access_token_format"
                label="Access token format"
                options={[
                  ["jwt", "JWT (RFC 9068)"],
                  ["reference", "Reference (revocable)"],
                ]}
                error={err("portcullis.access_token_format")}
                {...form.register("portcullis.access_token_format")}
              />
              <SelectField
                id="profile"
                label="Security profile"
                options={[
                  ["default", "Default"],
                  ["fapi2", "FAPI 2.0 Security Profile"],
                ]}
                error={err("portcullis.profile")}
                {...form.register("portcullis.profile")}
              />
            </div>
            <fieldset className="flex flex-col gap-2">
              <legend className="text-sm font-medium text-slate-700">Grant types</legend>
              {GRANTS.map(([value, label]) => (
                <label key={value} className="flex items-center gap-2 text-sm">
                  <input type="checkbox" value={value} className="h-4 w-4" {...form.register("grant_types")} /> {label}
                </label>
              ))}
              {errorText("grant_types")}
            </fieldset>
            <fieldset className="flex flex-col gap-2" {...invalid("response_types")}>
              <legend className="text-sm font-medium text-slate-700">
                Response types{" "}
                <span className="font-normal text-slate-500">(what the authorization endpoint returns; never an access token)</span>
              </legend>
              {RESPONSE_TYPE_CHOICES.map(([value, label]) => (
                <label key={value} className="flex items-center gap-2 text-sm">
                  <input type="checkbox" value={value} className="h-4 w-4" {...form.register("response_types")} /> {label}
                </label>
              ))}
              {errorText("response_types")}
            </fieldset>
            {(["redirect_uris", "post_logout_redirect_uris"] as const).map((name) => (
              <div key={name} className="flex flex-col gap-1.5">
                <label htmlFor={name} className="text-sm font-medium text-slate-700">
                  {name === "redirect_uris" ? "Redirect URIs" : "Post-logout redirect URIs"}{" "}
                  <span className="font-normal text-slate-500">(one per line)</span>
                </label>
                <textarea
                  id={name}
                  rows={3}
                  aria-invalid={err(name) ? true : undefined}
                  aria-describedby={err(name) ? `${name}-error` : undefined}
                  className={`rounded-lg border px-3 py-2 font-mono text-sm ${err(name) ? "border-red-500" : "border-slate-300"}`}
                  {...form.register(name)}
                />
                {err(name) ? (
                  <p id={`${name}-error`} className="text-sm text-red-600">
                    {err(name)}
                  </p>
                ) : null}
              </div>
            ))}
            <Field id="scope" label="Allowed scopes (space-separated)" error={err("scope")} {...form.register("scope")} />
            <div className="grid gap-5 sm:grid-cols-2">
              <Field id="client_uri" label="Home page URL (shown on consent)" error={err("client_uri")} {...form.register("client_uri")} />
              <Field id="logo_uri" label="Logo URL (shown on consent)" error={err("logo_uri")} {...form.register("logo_uri")} />
              <Field
                id="backchannel_logout_uri"
                label="Back-channel logout URI (logout tokens are POSTed here)"
                error={err("backchannel_logout_uri")}
                {...form.register("backchannel_logout_uri")}
              />
              <Field
                id="frontchannel_logout_uri"
                label="Front-channel logout URI (loaded in an iframe at sign-out)"
                error={err("frontchannel_logout_uri")}
                {...form.register("frontchannel_logout_uri")}
              />
            </div>
            <div className="grid gap-5 sm:grid-cols-2">
              <SelectField
                id="subject_type"
                label="Subject identifiers"
                options={[
                  ["public", "public (one id for every app)"],
                  ["pairwise", "pairwise (an id per sector)"],
                ]}
                error={err("subject_type")}
                {...form.register("subject_type")}
              />
              <Field
                id="sector_identifier"
                label="Sector (pairwise; default: the redirect URIs' host)"
                placeholder="example.com"
                error={err("portcullis.sector_identifier")}
                {...form.register("portcullis.sector_identifier")}
              />
            </div>
            <fieldset className="grid gap-5 sm:grid-cols-3">
              <legend className="mb-2 text-sm font-medium text-slate-700">Lifetimes (seconds)</legend>
              {(
                [
                  ["access_token_lifetime", "Access token"],
                  ["id_token_lifetime", "ID token"],
                  ["authorization_code_lifetime", "Authorization code"],
                  ["refresh_token_sliding_lifetime", "Refresh token (sliding)"],
                  ["refresh_token_absolute_lifetime", "Refresh token (absolute)"],
                  ["refresh_token_reuse_grace", "Refresh reuse grace"],
                  ["pushed_request_lifetime", "Pushed request (PAR)"],
                  ["device_code_lifetime", "Device code"],
                  ["device_poll_interval", "Device polling interval"],
                ] as const
              ).map(([name, label]) => (
                <Field
                  key={name}
                  id={name}
                  label={label}
                  type="number"
                  error={err(`portcullis.${name}`)}
                  {...form.register(`portcullis.${name}`, { valueAsNumber: true })}
                />
              ))}
            </fieldset>
            <fieldset className="flex flex-col gap-3" {...invalid("portcullis.token_exchange", "token_exchange")}>
              <legend className="text-sm font-medium text-slate-700">Token exchange (RFC 8693, with the grant type above)</legend>
              {(
                [
                  ["portcullis.token_exchange.impersonation", "Impersonation: act as the subject token's subject"],
                  [
                    "portcullis.token_exchange.delegation",
                    "Delegation: act for the subject, named in the act claim (needs an actor token)",
                  ],
                ] as const
              ).map(([name, label]) => (
                <label key={name} className="flex items-center gap-2 text-sm">
                  <input type="checkbox" className="h-4 w-4" {...form.register(name)} /> {label}
                </label>
              ))}
              {errorText("portcullis.token_exchange", "token_exchange")}
              {(
                [
                  [
                    "token_exchange.audiences",
                    "token_exchange_audiences",
                    "Audiences the new token may be for (API resources, one per line; none: the subject token's own)",
                  ],
                  [
                    "token_exchange.subject_clients",
                    "token_exchange_subject_clients",
                    "Clients whose tokens it may exchange (space-separated; none: any)",
                  ],
                ] as const
              ).map(([name, input, label]) => (
                <div key={name} className="flex flex-col gap-1.5">
                  <label htmlFor={input} className="text-sm font-medium text-slate-700">
                    {label}
                  </label>
                  <textarea
                    id={input}
                    rows={2}
                    {...invalid(`portcullis.${name}`, input)}
                    className={`rounded-lg border px-3 py-2 font-mono text-sm ${err(`portcullis.${name}`) ? "border-red-500" : "border-slate-300"}`}
                    {...form.register(input)}
                  />
                  {errorText(`portcullis.${name}`, input)}
                </div>
              ))}
            </fieldset>
            <fieldset className="flex flex-col gap-2">
              <legend className="text-sm font-medium text-slate-700">Settings</legend>
              {(
                [
                  ["portcullis.enabled", "Enabled"],
                  ["portcullis.require_pkce", "Require PKCE"],
                  ["portcullis.require_consent", "Ask users for consent"],
                  ["portcullis.allow_offline_access", "Allow offline access (refresh tokens)"],
                  ["portcullis.allow_remember_consent", "Let users remember their consent"],
                  ["portcullis.id_token_user_claims", "Put the user's claims in the ID token"],
                  ["portcullis.require_mfa", "Require a second factor (authenticator app or passkey) to sign in"],
                  ["require_pushed_authorization_requests", "Require pushed authorization requests (PAR, RFC 9126)"],
                  ["require_signed_request_object", "Require signed request objects (JAR, RFC 9101; needs the client's keys)"],
                  ["backchannel_logout_session_required", "Back-channel logout needs sid"],
                  ["frontchannel_logout_session_required", "Front-channel logout needs iss and sid"],
                  ["dpop_bound_access_tokens", "Require DPoP-bound access tokens (RFC 9449)"],
                ] as const
              ).map(([name, label]) => (
                <label key={name} className="flex items-center gap-2 text-sm">
                  <input type="checkbox" className="h-4 w-4" {...form.register(name)} /> {label}
                </label>
              ))}
            </fieldset>
          </>
        );
      }}
    </EntityForm>
  );
}
