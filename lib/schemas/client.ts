/**
 * A client as the configuration file, the console and the REST API describe it: RFC 7591 and
 * OpenID Connect Registration 1.0 metadata names, each with one meaning everywhere:
 * - `scope` may name offline_access: the same as portcullis.allow_offline_access (it is stored
 *   there, and the scope list keeps the other names);
 * - `application_type` native is portcullis.kind native (a "machine" default becomes native;
 *   another kind contradicts it); it is always derived from kind on the way out;
 * - `token_endpoint_auth_signing_alg` is the only alg the client's private_key_jwt assertions may use;
 * - `default_max_age` applies when a request has no max_age; `require_auth_time` is always met
 *   (ID tokens always carry auth_time); `id_token_signed_response_alg` takes only RS256;
 * - `subject_type` pairwise needs one sector: portcullis.sector_identifier (a host) or redirect
 *   URIs on one host (lib/oidc/subject.ts); `sector_identifier_uri` is not taken (it would be fetched);
 * - `contacts`, `software_id` and `software_version` are kept and shown as given;
 * - `response_types` defaults to code for a client with authorization_code; a type with id_token
 *   adds the grant type implicit (OpenID Connect Registration 2), which means nothing else here;
 * - `backchannel_logout_uri` uses https or http (Back-Channel Logout 2.2; the delivery refuses
 *   private addresses and http unless PORTCULLIS_ALLOW_PRIVATE_LOGOUT_URIS); `frontchannel_logout_uri`
 *   has the scheme, host and port of a registered redirect URI (Front-Channel Logout 2);
 * - `portcullis.profile` fapi2 (FAPI 2.0 Security Profile) refuses what it forbids and switches on
 *   `require_pushed_authorization_requests` and `dpop_bound_access_tokens`.
 */
import { z } from "zod";
import {
  CLIENT_ASSERTION_ALGS,
  ClientAuthMethod,
  ClientProfile,
  GrantType,
  IMPLICIT,
  OFFLINE_ACCESS,
  RESPONSE_TYPES,
  ResponseType,
  SUBJECT_TYPES,
  SubjectType,
} from "../oidc";
import { FAPI2_MAX_CODE_LIFETIME, FAPI2_SIGNING_ALGS, MAX_TOKEN_LIFETIME } from "../oidc";
import { absoluteUrl, absoluteUrlOf, scopeName, secretInput } from "./common";

const lifetime = z.number().int().min(1).max(MAX_TOKEN_LIFETIME);

const clientIdText = z
  .string()
  .min(1, "Enter a client ID.")
  .max(200, "A client ID has at most 200 characters.")
  .regex(/^[\x21-\x7E]+$/, "A client ID uses printable ASCII characters, without spaces.");

/**
 * RFC 8693: which token exchanges a client with the token-exchange grant type may make. The
 * issued token's scopes are always within the subject token's and the client's allowed scopes.
 */
export const tokenExchangeSettings = z
  .object({
    /** exchange a subject token for one that acts as the subject (no actor_token) */
    impersonation: z.boolean().default(false),
    /** exchange a subject token and an actor token for one with the actor in `act` */
    delegation: z.boolean().default(false),
    /** API resources the new token may be for (audience/resource); none: the subject token's own */
    audiences: z.array(absoluteUrlOf("Token exchange audiences")).max(50, "Name at most 50 audiences.").default([]),
    /** clients whose tokens it may exchange; none: any client's */
    subject_clients: z.array(clientIdText).max(100, "Name at most 100 clients.").default([]),
  })
  .strict();

/** Portcullis's own client settings, kept apart from the RFC 7591 metadata. */
export const clientSettings = z
  .object({
    kind: z.enum(["web", "spa", "native", "machine"]).default("machine"),
    enabled: z.boolean().default(true),
    description: z.string().max(1000).optional(),
    access_token_format: z.enum(["jwt", "reference"]).default("jwt"),
    access_token_lifetime: lifetime.default(3600),
    id_token_lifetime: lifetime.default(300),
    authorization_code_lifetime: z.number().int().min(1).max(600).default(60),
    refresh_token_absolute_lifetime: z.number().int().min(1).default(2592000),
    refresh_token_sliding_lifetime: z.number().int().min(1).default(1296000),
    refresh_token_reuse_grace: z.number().int().min(0).max(60).default(5),
    allow_offline_access: z.boolean().default(false),
    require_pkce: z.boolean().default(true),
    require_consent: z.boolean().default(true),
    allow_remember_consent: z.boolean().default(true),
    id_token_user_claims: z.boolean().default(true),
    /** every sign-in to this client needs a second factor (or a passkey) */
    require_mfa: z.boolean().default(false),
    /** seconds a pushed authorization request's request_uri lives (RFC 9126 expires_in) */
    pushed_request_lifetime: z.number().int().min(5).max(600).default(60),
    /** the sector of a pairwise client's subject identifiers, when not its redirect URIs' host */
    sector_identifier: z
      .string()
      .max(253)
      .regex(/^[a-z0-9.-]+(:\d{1,5})?$/, "A sector identifier is a host name, such as example.com.")
      .optional(),
    /** seconds a device authorization's device_code and user_code live (RFC 8628 expires_in) */
    device_code_lifetime: z.number().int().min(30).max(1800).default(600),
    /** seconds a device waits between two polls of the token endpoint (RFC 8628 interval) */
    device_poll_interval: z.number().int().min(1).max(60).default(5),
    token_exchange: tokenExchangeSettings.default(() => tokenExchangeSettings.parse({})),
    /** a security profile whose rules the client follows: fapi2 is the FAPI 2.0 Security Profile (lib/oidc/profiles.ts) */
    profile: z.enum([ClientProfile.default, ClientProfile.fapi2], "must be default or fapi2").default(ClientProfile.default),
  })
  .strict();

const publicJwk = z
  .object({ kty: z.string() })
  .catchall(z.unknown())
  .refine((k) => !("d" in k) && !("k" in k), "must be a public key (no private or symmetric key material)");

/** The fields, without the cross-field rules (so variants can pick and omit). */
export const clientFields = z
  .object({
    client_id: clientIdText,
    client_name: z.string().min(1, "Enter a name.").max(200, "A name has at most 200 characters."),
    client_secret: z
      .string()
      .min(32, "a secret must be at least 32 characters: generate one, e.g. `openssl rand -base64 32`")
      .max(512)
      .optional(),
    secrets: z.array(secretInput).max(20).optional(),
    token_endpoint_auth_method: z
      .enum([ClientAuthMethod.basic, ClientAuthMethod.post, ClientAuthMethod.privateKeyJwt, ClientAuthMethod.none])
      .default(ClientAuthMethod.basic),
    grant_types: z
      .array(
        z.enum([
          GrantType.clientCredentials,
          GrantType.authorizationCode,
          GrantType.refreshToken,
          GrantType.deviceCode,
          GrantType.tokenExchange,
          IMPLICIT,
        ]),
      )
      .min(1, "Choose at least one grant type.")
      .default([GrantType.clientCredentials]),
    response_types: z
      .array(z.enum(RESPONSE_TYPES, `must be one of ${RESPONSE_TYPES.join(", ")}`))
      .max(3)
      .optional(),
    redirect_uris: z.array(absoluteUrlOf("Redirect URIs")).max(50, "Register at most 50 redirect URIs.").default([]),
    post_logout_redirect_uris: z
      .array(absoluteUrlOf("Post-logout redirect URIs"))
      .max(50, "Register at most 50 post-logout redirect URIs.")
      .default([]),
    scope: z
      .string()
      .max(4000)
      .default("")
      .refine(
        (s) =>
          s
            .split(" ")
            .filter(Boolean)
            .every((n) => scopeName.safeParse(n).success),
        "Scopes are names separated by spaces, without quotes or backslashes.",
      ),
    jwks: z
      .object({ keys: z.array(publicJwk).min(1).max(20) })
      .strict()
      .optional(),
    client_uri: absoluteUrlOf("The home page URL", false).optional(),
    logo_uri: absoluteUrlOf("The logo URL", false).optional(),
    policy_uri: absoluteUrl.optional(),
    tos_uri: absoluteUrl.optional(),
    application_type: z.enum(["web", "native"], "must be web or native").optional(),
    contacts: z.array(z.email("must be an email address").max(254)).max(20).optional(),
    software_id: z.string().min(1).max(200).optional(),
    software_version: z.string().min(1).max(100).optional(),
    token_endpoint_auth_signing_alg: z.enum(CLIENT_ASSERTION_ALGS, `must be one of ${CLIENT_ASSERTION_ALGS.join(", ")}`).optional(),
    id_token_signed_response_alg: z.literal("RS256", "ID tokens are signed with RS256 only").optional(),
    subject_type: z.enum(SUBJECT_TYPES, `must be one of ${SUBJECT_TYPES.join(", ")}`).default(SubjectType.public),
    default_max_age: z.number().int().min(0).max(31_536_000).optional(),
    require_auth_time: z.boolean().optional(),
    /** RFC 9101: the only alg its request objects may use */
    request_object_signing_alg: z.enum(CLIENT_ASSERTION_ALGS, `must be one of ${CLIENT_ASSERTION_ALGS.join(", ")}`).optional(),
    /** RFC 9101 10.5: authorization requests only as signed request objects */
    require_signed_request_object: z.boolean().default(false),
    /** RFC 9126 section 6: authorization requests only through the PAR endpoint */
    require_pushed_authorization_requests: z.boolean().default(false),
    /** OpenID Connect Back-Channel Logout 1.0 section 2.2: logout tokens are POSTed here */
    backchannel_logout_uri: absoluteUrlOf("The back-channel logout URI", false).optional(),
    backchannel_logout_session_required: z.boolean().default(false),
    /** OpenID Connect Front-Channel Logout 1.0 section 2: loaded in an iframe when the user signs out */
    frontchannel_logout_uri: absoluteUrlOf("The front-channel logout URI", false).optional(),
    frontchannel_logout_session_required: z.boolean().default(false),
    /** RFC 9449 5.2: every token request carries a DPoP proof (access tokens always DPoP-bound) */
    dpop_bound_access_tokens: z.boolean().default(false),
    portcullis: clientSettings.default(() => clientSettings.parse({})),
  })
  .strict();

type ClientShape = z.infer<typeof clientFields>;

/** Whether a client authenticating this way holds secrets (client_secret_basic, client_secret_post). */
export const usesSecret = (method: string) => method === ClientAuthMethod.basic || method === ClientAuthMethod.post;

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** A redirect URI a client of this kind may register (RFC 8252 for native apps). */
export function redirectUriProblem(uri: string, kind: ClientShape["portcullis"]["kind"], what = "Redirect URIs"): string | null {
  const url = new URL(uri);
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:" && LOOPBACK.has(url.hostname)) return null;
  if (kind === "native" && /^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+:$/.test(url.protocol)) return null;
  return kind === "native"
    ? `${what} must use https, a loopback address, or a private-use scheme such as com.example.app:/callback.`
    : `${what} must use https (or http on a loopback address).`;
}

/** Rules across fields, shared by every client schema. */
export function clientRules(
  c: Partial<ClientShape> &
    Pick<ClientShape, "token_endpoint_auth_method" | "grant_types" | "redirect_uris" | "post_logout_redirect_uris" | "portcullis">,
  ctx: z.RefinementCtx,
): void {
  const method = c.token_endpoint_auth_method;
  if (method === ClientAuthMethod.none && c.grant_types.includes(GrantType.clientCredentials)) {
    ctx.addIssue({
      code: "custom",
      path: ["grant_types"],
      message: "Client credentials needs a confidential client: choose an authentication method other than none.",
    });
  }
  if (c.grant_types.includes(GrantType.tokenExchange)) {
    const te = c.portcullis.token_exchange;
    if (method === ClientAuthMethod.none)
      ctx.addIssue({
        code: "custom",
        path: ["grant_types"],
        message: "Token exchange needs a confidential client: choose an authentication method other than none.",
      });
    if (!te.impersonation && !te.delegation)
      ctx.addIssue({
        code: "custom",
        path: ["portcullis", "token_exchange"],
        message: "Token exchange needs impersonation or delegation allowed.",
      });
  }
  if (method === ClientAuthMethod.privateKeyJwt && !c.jwks) {
    ctx.addIssue({
      code: "custom",
      path: ["jwks"],
      message: "private_key_jwt needs the client's public keys: register them through the REST API or the configuration file.",
    });
  }
  if (!usesSecret(method) && (c.client_secret || c.secrets?.length)) {
    ctx.addIssue({ code: "custom", path: ["token_endpoint_auth_method"], message: `Secrets are not used with ${method}.` });
  }
  if (c.token_endpoint_auth_signing_alg && method !== ClientAuthMethod.privateKeyJwt) {
    ctx.addIssue({ code: "custom", path: ["token_endpoint_auth_signing_alg"], message: "only used with private_key_jwt" });
  }
  const kind = c.portcullis.kind;
  if (c.application_type === "native" && kind !== "native" && kind !== "machine") {
    ctx.addIssue({ code: "custom", path: ["application_type"], message: `native contradicts portcullis.kind ${kind}` });
  }
  if (c.application_type === "web" && kind === "native") {
    ctx.addIssue({ code: "custom", path: ["application_type"], message: "web contradicts portcullis.kind native" });
  }
  if (c.subject_type === SubjectType.pairwise && !c.portcullis.sector_identifier) {
    const hosts = new Set(c.redirect_uris.filter((u) => URL.canParse(u)).map((u) => new URL(u).host));
    if (hosts.size !== 1)
      ctx.addIssue({
        code: "custom",
        path: ["subject_type"],
        message: "Pairwise identifiers need redirect URIs on one host, or a sector identifier (portcullis.sector_identifier).",
      });
  }
  if ((c.require_signed_request_object || c.request_object_signing_alg) && !c.jwks) {
    ctx.addIssue({
      code: "custom",
      path: [c.require_signed_request_object ? "require_signed_request_object" : "request_object_signing_alg"],
      message: "Signed request objects need the client's public keys: register them through the REST API or the configuration file.",
    });
  }
  if (c.client_secret && c.secrets) {
    ctx.addIssue({ code: "custom", path: ["client_secret"], message: "Give client_secret or secrets, not both." });
  }
  const types = c.response_types ?? [];
  if (types.some((t) => t !== ResponseType.idToken) && !c.grant_types.includes(GrantType.authorizationCode)) {
    ctx.addIssue({
      code: "custom",
      path: ["response_types"],
      message: "The response types code and code id_token need the grant type authorization_code.",
    });
  }
  if (c.grant_types.includes(IMPLICIT) && !types.some((t) => t !== ResponseType.code)) {
    ctx.addIssue({
      code: "custom",
      path: ["grant_types"],
      message: "implicit is the grant type of the response types id_token and code id_token: choose one of them.",
    });
  }
  if ((c.grant_types.includes(GrantType.authorizationCode) || types.length > 0) && c.redirect_uris.length === 0) {
    ctx.addIssue({
      code: "custom",
      path: ["redirect_uris"],
      message: "Enter at least one redirect URI: the authorization code flow needs one.",
    });
  }
  if (c.backchannel_logout_uri && URL.canParse(c.backchannel_logout_uri) && !/^https?:$/.test(new URL(c.backchannel_logout_uri).protocol)) {
    ctx.addIssue({ code: "custom", path: ["backchannel_logout_uri"], message: "The back-channel logout URI must use https (or http)." });
  }
  if (c.frontchannel_logout_uri && URL.canParse(c.frontchannel_logout_uri)) {
    const origin = new URL(c.frontchannel_logout_uri).origin;
    if (!c.redirect_uris.some((r) => URL.canParse(r) && new URL(r).origin === origin)) {
      ctx.addIssue({
        code: "custom",
        path: ["frontchannel_logout_uri"],
        message: "The front-channel logout URI must have the scheme, host and port of a registered redirect URI.",
      });
    }
  }
  if (c.portcullis.profile === ClientProfile.fapi2) fapi2Rules(c, ctx);
  for (const [field, list, what] of [
    ["redirect_uris", c.redirect_uris, "Redirect URIs"],
    ["post_logout_redirect_uris", c.post_logout_redirect_uris, "Post-logout redirect URIs"],
  ] as const) {
    list.forEach((uri, i) => {
      // The kind the client will have: application_type native makes the default "machine" native.
      const effective = c.application_type === "native" && kind === "machine" ? "native" : kind;
      const problem = URL.canParse(uri) ? redirectUriProblem(uri, effective, what) : null;
      if (problem) ctx.addIssue({ code: "custom", path: [field, i], message: problem });
    });
  }
}

/**
 * FAPI 2.0 Security Profile (lib/oidc/profiles.ts): what it forbids is refused here; what it
 * switches on (PAR, DPoP) is stored switched on by normalizeClient.
 */
function fapi2Rules(c: Parameters<typeof clientRules>[0], ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
  if (c.token_endpoint_auth_method !== ClientAuthMethod.privateKeyJwt) {
    issue(["token_endpoint_auth_method"], "FAPI 2.0 needs a confidential client authenticating with private_key_jwt.");
  }
  const alg = c.token_endpoint_auth_signing_alg;
  if (alg && !(FAPI2_SIGNING_ALGS as readonly string[]).includes(alg)) {
    issue(["token_endpoint_auth_signing_alg"], `FAPI 2.0 allows only ${FAPI2_SIGNING_ALGS.join(", ")}.`);
  }
  if (!c.portcullis.require_pkce) issue(["portcullis", "require_pkce"], "FAPI 2.0 requires PKCE: keep Require PKCE on.");
  if (c.portcullis.authorization_code_lifetime > FAPI2_MAX_CODE_LIFETIME) {
    issue(
      ["portcullis", "authorization_code_lifetime"],
      `FAPI 2.0 allows authorization codes of at most ${FAPI2_MAX_CODE_LIFETIME} seconds.`,
    );
  }
  if (c.portcullis.kind === "spa" || c.portcullis.kind === "native" || c.application_type === "native") {
    issue(["portcullis", "kind"], "FAPI 2.0 serves confidential clients only: choose web or machine.");
  }
  if (c.response_types?.some((t) => t !== ResponseType.code)) {
    issue(["response_types"], "FAPI 2.0 allows only the response type code (no hybrid or implicit).");
  }
  if (c.request_object_signing_alg && !(FAPI2_SIGNING_ALGS as readonly string[]).includes(c.request_object_signing_alg)) {
    issue(["request_object_signing_alg"], `FAPI 2.0 allows only ${FAPI2_SIGNING_ALGS.join(", ")}.`);
  }
}

/** Gives each standard name its one stored meaning (see the header). */
function normalizeClient<
  T extends Pick<
    ClientShape,
    | "scope"
    | "portcullis"
    | "application_type"
    | "grant_types"
    | "response_types"
    | "require_pushed_authorization_requests"
    | "dpop_bound_access_tokens"
  >,
>(c: T): T {
  const fapi2 = c.portcullis.profile === ClientProfile.fapi2;
  const scopes = c.scope.split(" ").filter(Boolean);
  // An empty list (a form with nothing ticked) is no choice: the default, as for an absent one.
  const responseTypes = [
    ...new Set(
      c.response_types?.length ? c.response_types : c.grant_types.includes(GrantType.authorizationCode) ? [ResponseType.code] : [],
    ),
  ];
  const implicit = responseTypes.some((t) => t !== ResponseType.code);
  const offline = scopes.includes(OFFLINE_ACCESS);
  const native = c.application_type === "native" || c.portcullis.kind === "native";
  return {
    ...c,
    scope: offline ? scopes.filter((s) => s !== OFFLINE_ACCESS).join(" ") : c.scope,
    application_type: native ? "native" : "web",
    response_types: responseTypes,
    grant_types: implicit && !c.grant_types.includes(IMPLICIT) ? [...c.grant_types, IMPLICIT] : c.grant_types,
    // The profile switches these on (lib/oidc/profiles.ts applies them whatever is stored).
    require_pushed_authorization_requests: c.require_pushed_authorization_requests || fapi2,
    dpop_bound_access_tokens: c.dpop_bound_access_tokens || fapi2,
    portcullis: {
      ...c.portcullis,
      kind: native ? "native" : c.portcullis.kind,
      allow_offline_access: c.portcullis.allow_offline_access || offline,
    },
  };
}

export const clientInput = clientFields.superRefine(clientRules).transform(normalizeClient);
export type ClientInput = z.infer<typeof clientInput>;

/** What the console and the admin API accept for a client: everything but secrets (generated there). */
export const clientAdminInput = clientFields
  .omit({ client_secret: true, secrets: true })
  .superRefine(clientRules)
  .transform(normalizeClient);
