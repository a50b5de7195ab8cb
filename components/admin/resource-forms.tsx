"use client";

import { EntityForm } from "./entity-form";
import { Field } from "@/components/ui/field";
import type { ActionResult } from "@/lib/next/admin-action";
import {
  apiResourceFromForm,
  formSchemas,
  identityFromForm,
  userFromForm,
  type ApiResourceFormValues,
  type IdentityFormValues,
  type UserFormValues,
} from "@/lib/schemas/admin-forms";

type Submit<V> = (csrf: string, values: V) => Promise<ActionResult>;

const EMPTY_API: ApiResourceFormValues = { name: "", display_name: "", signing_alg: "RS256", scopes: "" };

export function ApiResourceForm({
  csrf,
  submit,
  defaults,
}: {
  csrf: string;
  submit: Submit<ApiResourceFormValues>;
  defaults?: ApiResourceFormValues;
}) {
  return (
    <EntityForm<ApiResourceFormValues>
      csrf={csrf}
      submit={submit}
      schema={formSchemas.apiResource}
      convert={apiResourceFromForm}
      label={defaults ? "Save changes" : "Create API resource"}
      defaults={defaults ?? EMPTY_API}
    >
      {(form, error) => (
        <>
          <div className="grid gap-5 sm:grid-cols-2">
            <Field
              id="name"
              label="Name (the audience, e.g. https://api.example.com)"
              readOnly={Boolean(defaults)}
              error={error("name")}
              {...form.register("name")}
            />
            <Field id="display_name" label="Display name" error={error("display_name")} {...form.register("display_name")} />
          </div>
          <div className="flex flex-col gap-1.5">
            <label htmlFor="signing_alg" className="text-sm font-medium text-slate-700">
              Token signing algorithm
            </label>
            <select
              id="signing_alg"
              className="rounded-lg border border-slate-300 px-3 py-2.5 text-sm sm:max-w-xs"
              {...form.register("signing_alg")}
            >
              {["RS256", "PS256", "ES256", "EdDSA"].map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </div>
          <div className="flex flex-col gap-1.5">
            <label htmlFor="scopes" className="text-sm font-medium text-slate-700">
              Scopes <span className="font-normal text-slate-500">(one per line: name or name: description)</span>
            </label>
            <textarea
              id="scopes"
              rows={4}
              aria-invalid={error("scopes") ? true : undefined}
              aria-describedby={error("scopes") ? "scopes-error" : undefined}
              className={`rounded-lg border px-3 py-2 font-mono text-sm ${error("scopes") ? "border-red-500" : "border-slate-300"}`}
              {...form.register("scopes")}
            />
            {error("scopes") ? (
              <p id="scopes-error" className="text-sm text-red-600">
                {error("scopes")}
              </p>
            ) : null}
          </div>
        </>
      )}
    </EntityForm>
  );
}

export function UserForm({ csrf, submit, defaults }: { csrf: string; submit: Submit<UserFormValues>; defaults?: UserFormValues }) {
  return (
    <EntityForm<UserFormValues>
      csrf={csrf}
      submit={submit}
      schema={formSchemas.user}
      convert={userFromForm}
      label={defaults ? "Save changes" : "Create user"}
      defaults={defaults ?? { username: "", email: "", password: "", name: "", roles: "", email_verified: false }}
    >
      {(form, error) => (
        <>
          <div className="grid gap-5 sm:grid-cols-2">
            <Field
              id="username"
              label="Username"
              autoComplete="off"
              readOnly={Boolean(defaults)}
              error={error("username")}
              {...form.register("username")}
            />
            <Field id="email" label="Email" type="email" autoComplete="off" error={error("email")} {...form.register("email")} />
            {defaults ? null : (
              <Field
                id="password"
                label="Password"
                type="password"
                autoComplete="new-password"
                error={error("password")}
                {...form.register("password")}
              />
            )}
            <Field id="display-name" label="Full name" error={error("claims")} {...form.register("name")} />
            <Field id="roles" label="Roles (comma-separated)" error={error("roles")} {...form.register("roles")} />
          </div>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" className="h-4 w-4" {...form.register("email_verified")} /> Email verified
          </label>
        </>
      )}
    </EntityForm>
  );
}

export function IdentityResourceForm({ csrf, submit }: { csrf: string; submit: Submit<IdentityFormValues> }) {
  return (
    <EntityForm<IdentityFormValues>
      csrf={csrf}
      submit={submit}
      schema={formSchemas.identity}
      convert={identityFromForm}
      label="Add identity resource"
      defaults={{ name: "", display_name: "", claims: "" }}
    >
      {(form, error) => (
        <div className="grid gap-5 sm:grid-cols-3">
          <Field id="identity-name" label="Scope name" error={error("name")} {...form.register("name")} />
          <Field id="identity-display" label="Display name" error={error("display_name")} {...form.register("display_name")} />
          <Field id="identity-claims" label="Claims (space-separated)" error={error("claims")} {...form.register("claims")} />
        </div>
      )}
    </EntityForm>
  );
}

export function PasswordForm({ csrf, submit }: { csrf: string; submit: Submit<{ password: string }> }) {
  return (
    <EntityForm<{ password: string }>
      csrf={csrf}
      submit={submit}
      schema={formSchemas.password}
      convert={(v) => v}
      label="Set password"
      defaults={{ password: "" }}
    >
      {(form, error) => (
        <Field
          id="new-password"
          label="New password (at least 8 characters)"
          type="password"
          autoComplete="new-password"
          error={error("password")}
          {...form.register("password")}
        />
      )}
    </EntityForm>
  );
}
