/**
 * Form shapes of the console's API resource, identity resource and user forms, and their
 * conversion to the API shape, so the form, the server action and the REST API validate with
 * the same schemas.
 */
import { apiResourceAdminInput, identityResourceInput } from "./resources";
import { passwordInput, userAdminInput } from "./user";

export interface ApiResourceFormValues {
  name: string;
  display_name: string;
  signing_alg: "RS256" | "PS256" | "ES256" | "EdDSA";
  scopes: string;
}
export interface UserFormValues {
  username: string;
  email: string;
  password: string;
  name: string;
  roles: string;
  email_verified: boolean;
}
export interface IdentityFormValues {
  name: string;
  display_name: string;
  claims: string;
}

/** "name" or "name: description", one per line. */
export function apiResourceFromForm(v: ApiResourceFormValues): Record<string, unknown> {
  const scopes = v.scopes
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const i = l.indexOf(":");
      return i < 0 ? { name: l } : { name: l.slice(0, i).trim(), description: l.slice(i + 1).trim() || undefined };
    });
  return {
    name: v.name.trim(),
    ...(v.display_name.trim() ? { display_name: v.display_name.trim() } : {}),
    signing_alg: v.signing_alg,
    scopes,
  };
}

export function userFromForm(v: UserFormValues): Record<string, unknown> {
  return {
    username: v.username.trim(),
    ...(v.email.trim() ? { email: v.email.trim() } : {}),
    ...(v.password ? { password: v.password } : {}),
    email_verified: v.email_verified,
    roles: v.roles.split(/[\s,]+/).filter(Boolean),
    claims: v.name.trim() ? { name: v.name.trim() } : {},
  };
}

export function identityFromForm(v: IdentityFormValues): Record<string, unknown> {
  return {
    name: v.name.trim(),
    ...(v.display_name.trim() ? { display_name: v.display_name.trim() } : {}),
    claims: v.claims.split(/\s+/).filter(Boolean),
  };
}

export function apiResourceToForm(r: {
  name: string;
  display_name?: string;
  signing_alg: string;
  scopes: { name: string; description?: string }[];
}): ApiResourceFormValues {
  return {
    name: r.name,
    display_name: r.display_name ?? "",
    signing_alg: r.signing_alg as ApiResourceFormValues["signing_alg"],
    scopes: r.scopes.map((s) => (s.description ? `${s.name}: ${s.description}` : s.name)).join("\n"),
  };
}

export function userToForm(u: {
  username: string;
  email: string | null;
  email_verified: boolean;
  roles: string[];
  claims: Record<string, unknown>;
}): UserFormValues {
  return {
    username: u.username,
    email: u.email ?? "",
    password: "",
    name: String(u.claims.name ?? ""),
    roles: u.roles.join(", "),
    email_verified: u.email_verified,
  };
}

export const formSchemas = {
  apiResource: apiResourceAdminInput,
  user: userAdminInput,
  identity: identityResourceInput,
  password: passwordInput,
};
