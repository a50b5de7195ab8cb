/**
 * The client form's shape: the API's client schema with list fields edited as text (one URI per
 * line, scopes space-separated). `fromForm` turns form values into the API shape, so the form,
 * the server action and the REST API validate with the one schema.
 */
import type { ClientInput } from "./client";

export type ClientFormValues = Omit<
  ClientInput,
  "redirect_uris" | "post_logout_redirect_uris" | "client_secret" | "secrets" | "jwks" | "policy_uri" | "tos_uri"
> & {
  redirect_uris: string;
  post_logout_redirect_uris: string;
  /** portcullis.token_exchange.audiences, one per line */
  token_exchange_audiences: string;
  /** portcullis.token_exchange.subject_clients, separated by spaces or lines */
  token_exchange_subject_clients: string;
};

const lines = (v: string) =>
  v
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);

export function fromForm(v: ClientFormValues): Record<string, unknown> {
  const {
    client_uri,
    logo_uri,
    backchannel_logout_uri,
    frontchannel_logout_uri,
    token_exchange_audiences,
    token_exchange_subject_clients,
    portcullis,
    ...rest
  } = v;
  const { sector_identifier, ...settings } = portcullis;
  return {
    ...rest,
    portcullis: {
      ...settings,
      ...(sector_identifier ? { sector_identifier } : {}),
      token_exchange: {
        ...settings.token_exchange,
        audiences: lines(token_exchange_audiences),
        subject_clients: token_exchange_subject_clients.split(/\s+/).filter(Boolean),
      },
    },
    ...(client_uri ? { client_uri } : {}),
    ...(logo_uri ? { logo_uri } : {}),
    ...(backchannel_logout_uri ? { backchannel_logout_uri } : {}),
    ...(frontchannel_logout_uri ? { frontchannel_logout_uri } : {}),
    redirect_uris: lines(v.redirect_uris),
    post_logout_redirect_uris: lines(v.post_logout_redirect_uris),
    scope: v.scope.split(/\s+/).filter(Boolean).join(" "),
  };
}

export function toForm(c: Omit<ClientInput, "client_secret" | "secrets">): ClientFormValues {
  // application_type follows portcullis.kind, which the form edits.
  const { jwks: _jwks, policy_uri: _p, tos_uri: _t, application_type: _a, ...rest } = c;
  return {
    ...rest,
    client_uri: c.client_uri ?? "",
    logo_uri: c.logo_uri ?? "",
    backchannel_logout_uri: c.backchannel_logout_uri ?? "",
    frontchannel_logout_uri: c.frontchannel_logout_uri ?? "",
    redirect_uris: c.redirect_uris.join("\n"),
    post_logout_redirect_uris: c.post_logout_redirect_uris.join("\n"),
    token_exchange_audiences: c.portcullis.token_exchange.audiences.join("\n"),
    token_exchange_subject_clients: c.portcullis.token_exchange.subject_clients.join(" "),
  };
}

/** The client form's fields that show an error beside them; everything else shows at the top ("root"). */
export const CLIENT_FORM_FIELDS = [
  "client_id",
  "client_name",
  "token_endpoint_auth_method",
  "grant_types",
  "response_types",
  "redirect_uris",
  "post_logout_redirect_uris",
  "scope",
  "client_uri",
  "logo_uri",
  "subject_type",
  "portcullis.sector_identifier",
  "backchannel_logout_uri",
  "frontchannel_logout_uri",
  "portcullis.access_token_format",
  "portcullis.access_token_lifetime",
  "portcullis.id_token_lifetime",
  "portcullis.authorization_code_lifetime",
  "portcullis.refresh_token_sliding_lifetime",
  "portcullis.refresh_token_absolute_lifetime",
  "portcullis.refresh_token_reuse_grace",
  "portcullis.pushed_request_lifetime",
  "portcullis.device_code_lifetime",
  "portcullis.device_poll_interval",
  // The lists before their policy: a problem shows at the most specific field.
  "portcullis.token_exchange.audiences",
  "portcullis.token_exchange.subject_clients",
  "portcullis.token_exchange",
  "portcullis.profile",
] as const;
export type ClientFormField = (typeof CLIENT_FORM_FIELDS)[number] | "root";

/** Settings without a field error of their own, named in the message shown for them. */
const LABELS: Record<string, string> = {
  jwks: "Public keys (jwks)",
  policy_uri: "Privacy policy URL",
  tos_uri: "Terms of service URL",
  portcullis: "Settings",
  "portcullis.kind": "Kind",
  "portcullis.description": "Description",
  "portcullis.enabled": "Enabled",
  "portcullis.require_pkce": "Require PKCE",
  "portcullis.require_consent": "Ask users for consent",
  "portcullis.allow_offline_access": "Allow offline access",
  "portcullis.allow_remember_consent": "Let users remember their consent",
  "portcullis.id_token_user_claims": "Put the user's claims in the ID token",
  "portcullis.require_mfa": "Require a second factor",
  require_pushed_authorization_requests: "Require pushed authorization requests (PAR)",
  require_signed_request_object: "Require signed request objects (JAR)",
  request_object_signing_alg: "Request object signing algorithm",
  "portcullis.token_exchange.impersonation": "Token exchange: impersonation",
  "portcullis.token_exchange.delegation": "Token exchange: delegation",
  backchannel_logout_session_required: "Back-channel logout needs sid",
  frontchannel_logout_session_required: "Front-channel logout needs iss and sid",
  dpop_bound_access_tokens: "Require DPoP-bound access tokens",
  "portcullis.profile": "Security profile",
};
/** Problems of a setting without a field of its own that a visible field causes. */
const SHOWN_BY: Record<string, ClientFormField> = { jwks: "token_endpoint_auth_method" };

/**
 * The form field that shows a problem: from a zod issue path (["redirect_uris", 0]) or an API
 * problem path ("redirect_uris[0]", "portcullis.access_token_lifetime"); list items show at their
 * list's field, anything the form has no field for at the top.
 */
export function formField(path: string | readonly PropertyKey[]): ClientFormField {
  const key = pathKey(path);
  const field = (CLIENT_FORM_FIELDS as readonly string[]).find((f) => key === f || key.startsWith(`${f}.`));
  return (field as ClientFormField | undefined) ?? closest(key, SHOWN_BY) ?? "root";
}

/** The message for a problem: as it is beside its own field; elsewhere after the setting's name. */
export function formMessage(path: string | readonly PropertyKey[], message: string): string {
  const key = pathKey(path);
  const field = formField(path);
  if (!key || field === key || key.startsWith(`${field}.`)) return message;
  return `${closest(key, LABELS) ?? key}: ${message}`;
}

/** The entry of `table` for `key` or for the nearest setting that holds it (jwks.keys -> jwks). */
function closest<T>(key: string, table: Record<string, T>): T | undefined {
  for (let k = key; k; k = k.includes(".") ? k.slice(0, k.lastIndexOf(".")) : "") if (k in table) return table[k];
  return undefined;
}

/** "redirect_uris[0]", "portcullis.kind" or ["redirect_uris", 0] -> the named part: "redirect_uris", "portcullis.kind". */
function pathKey(path: string | readonly PropertyKey[]): string {
  const parts = typeof path === "string" ? path.split(/[.[\]]/).filter(Boolean) : path.map(String);
  return parts.filter((p) => !/^\d+$/.test(p)).join(".");
}
