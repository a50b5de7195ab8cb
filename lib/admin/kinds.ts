/**
 * The kinds of client, in one table: what the REST API and the console fill in for a kind when a
 * request leaves it out, and how the console's "new client" flow presents a kind and what it
 * proposes. Every other default is the zod schema's (lib/schemas/client.ts).
 */
import { ClientAuthMethod, GrantType, ResponseType } from "../oidc";
import { clientSettings, type ClientInput } from "../schemas/client";
import type { ClientFormValues } from "../schemas/client-form";

export type ClientKind = ClientInput["portcullis"]["kind"];

interface Kind {
  label: string;
  help: string;
  /** set when a request for this kind leaves them out */
  fills: Pick<ClientInput, "token_endpoint_auth_method" | "grant_types">;
  /** what the new-client form proposes on top of the schema's defaults */
  proposes: { scope: string; allow_offline_access: boolean };
}

const signsUsersIn = [GrantType.authorizationCode, GrantType.refreshToken];
const forUsers = { scope: "openid profile email", allow_offline_access: true };

export const CLIENT_KINDS: Record<ClientKind, Kind> = {
  web: {
    label: "Web app with a server",
    help: "Confidential: signs users in with code + PKCE and keeps a secret on the server.",
    fills: { token_endpoint_auth_method: ClientAuthMethod.basic, grant_types: signsUsersIn },
    proposes: forUsers,
  },
  spa: {
    label: "Single-page app",
    help: "Public: runs in the browser, no secret; code + PKCE.",
    fills: { token_endpoint_auth_method: ClientAuthMethod.none, grant_types: signsUsersIn },
    proposes: forUsers,
  },
  native: {
    label: "Native or mobile app",
    help: "Public: no secret; code + PKCE with a loopback or private-use redirect URI.",
    fills: { token_endpoint_auth_method: ClientAuthMethod.none, grant_types: signsUsersIn },
    proposes: forUsers,
  },
  machine: {
    label: "Machine to machine",
    help: "Confidential: a daemon or job gets tokens with client credentials.",
    fills: { token_endpoint_auth_method: ClientAuthMethod.basic, grant_types: [GrantType.clientCredentials] },
    proposes: { scope: "", allow_offline_access: false },
  },
};

/** Own keys only: `toString` or `__proto__` are no kind of client. */
export const isClientKind = (v: unknown): v is ClientKind => typeof v === "string" && Object.hasOwn(CLIENT_KINDS, v);

/** A request body with what its kind fills in where the body says nothing. */
export function withKindDefaults(raw: unknown): unknown {
  if (!raw || typeof raw !== "object") return raw;
  const body = { ...(raw as Record<string, unknown>) };
  const kind = (body.portcullis as { kind?: unknown } | null | undefined)?.kind;
  if (isClientKind(kind)) {
    for (const [k, v] of Object.entries(CLIENT_KINDS[kind].fills)) if (body[k] === undefined) body[k] = Array.isArray(v) ? [...v] : v;
  }
  return body;
}

/** The new-client form of a kind: the schema's defaults with the kind's. */
export function newClientForm(kind: ClientKind): ClientFormValues {
  const { fills, proposes } = CLIENT_KINDS[kind];
  return {
    client_id: "",
    client_name: "",
    redirect_uris: "",
    post_logout_redirect_uris: "",
    token_exchange_audiences: "",
    token_exchange_subject_clients: "",
    token_endpoint_auth_method: fills.token_endpoint_auth_method,
    grant_types: [...fills.grant_types],
    response_types: fills.grant_types.includes(GrantType.authorizationCode) ? [ResponseType.code] : [],
    scope: proposes.scope,
    require_pushed_authorization_requests: false,
    subject_type: "public",
    require_signed_request_object: false,
    backchannel_logout_session_required: false,
    frontchannel_logout_session_required: false,
    dpop_bound_access_tokens: false,
    portcullis: clientSettings.parse({ kind, allow_offline_access: proposes.allow_offline_access }),
  };
}
