/**
 * The client form's shape: the API's client schema with list fields edited as text (one URI per
 * line, scopes space-separated). `fromForm` turns form values into the API shape, so the form,
 * the server action and the REST API validate with the one schema.
 */
import type { ClientInput } from "./client";

export type ClientFormValues = Omit<ClientInput, "redirect_uris" | "post_logout_redirect_uris" | "client_secret" | "secrets" | "jwks" | "response_types" | "policy_uri" | "tos_uri"> & {
  redirect_uris: string;
  post_logout_redirect_uris: string;
};

const lines = (v: string) => v.split(/\r?\n/).map((s) => s.trim()).filter(Boolean);

export function fromForm(v: ClientFormValues): Record<string, unknown> {
  const { client_uri, logo_uri, ...rest } = v;
  return {
    ...rest,
    ...(client_uri ? { client_uri } : {}),
    ...(logo_uri ? { logo_uri } : {}),
    redirect_uris: lines(v.redirect_uris),
    post_logout_redirect_uris: lines(v.post_logout_redirect_uris),
    scope: v.scope.split(/\s+/).filter(Boolean).join(" "),
  };
}

export function toForm(c: Omit<ClientInput, "client_secret" | "secrets">): ClientFormValues {
  // application_type follows portcullis.kind, which the form edits.
  const { jwks: _jwks, response_types: _rt, policy_uri: _p, tos_uri: _t, application_type: _a, ...rest } = c;
  return { ...rest, client_uri: c.client_uri ?? "", logo_uri: c.logo_uri ?? "", redirect_uris: c.redirect_uris.join("\n"), post_logout_redirect_uris: c.post_logout_redirect_uris.join("\n") };
}

/** Map an API problem path (redirect_uris[0]) to the form field that shows it. */
export function formField(path: string): string {
  return path.replace(/\[\d+\]$/, "");
}
