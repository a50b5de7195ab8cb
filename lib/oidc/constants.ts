/** Protocol strings, in one place (RFC 6749, 7009, 7523, 7662, 8707, 9068; OpenID Connect). */

export const GrantType = {
  clientCredentials: "client_credentials",
  authorizationCode: "authorization_code",
  refreshToken: "refresh_token",
  /** RFC 8628 3.4 */
  deviceCode: "urn:ietf:params:oauth:grant-type:device_code",
  /** RFC 8693 */
  tokenExchange: "urn:ietf:params:oauth:grant-type:token-exchange",
} as const;
export type GrantTypeName = (typeof GrantType)[keyof typeof GrantType];

export const ClientAuthMethod = {
  basic: "client_secret_basic",
  post: "client_secret_post",
  privateKeyJwt: "private_key_jwt",
  none: "none",
} as const;
export type ClientAuthMethodName = (typeof ClientAuthMethod)[keyof typeof ClientAuthMethod];

/** RFC 7523 section 2.2 */
export const JWT_BEARER_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

export const ErrorCode = {
  invalidRequest: "invalid_request",
  invalidClient: "invalid_client",
  invalidGrant: "invalid_grant",
  unauthorizedClient: "unauthorized_client",
  unsupportedGrantType: "unsupported_grant_type",
  invalidScope: "invalid_scope",
  invalidTarget: "invalid_target",
  unsupportedTokenType: "unsupported_token_type",
  serverError: "server_error",
  accessDenied: "access_denied",
  unsupportedResponseType: "unsupported_response_type",
  loginRequired: "login_required",
  consentRequired: "consent_required",
  interactionRequired: "interaction_required",
  requestNotSupported: "request_not_supported",
  requestUriNotSupported: "request_uri_not_supported",
  /** RFC 9101 6.3 / OpenID Connect Core 6.2: a request object that fails its checks */
  invalidRequestObject: "invalid_request_object",
  /** RFC 9101 6.2: a request_uri that is unknown, expired, used or another client's */
  invalidRequestUri: "invalid_request_uri",
  invalidToken: "invalid_token",
  insufficientScope: "insufficient_scope",
  /** RFC 6749 4.1.2.1; with HTTP 429 when a rate limit is reached */
  temporarilyUnavailable: "temporarily_unavailable",
  /** RFC 8628 3.5: the device polls while the user has not decided yet */
  authorizationPending: "authorization_pending",
  /** RFC 8628 3.5: the device polled sooner than its interval; the interval grows by 5 s */
  slowDown: "slow_down",
  /** RFC 8628 3.5: the device_code has expired */
  expiredToken: "expired_token",
  /** RFC 7591 3.2.2: a redirect_uris value is invalid */
  invalidRedirectUri: "invalid_redirect_uri",
  /** RFC 7591 3.2.2: another metadata value is invalid */
  invalidClientMetadata: "invalid_client_metadata",
  /** RFC 9449 5, 7.1: a DPoP proof that is missing where required, malformed or invalid */
  invalidDpopProof: "invalid_dpop_proof",
  /** RFC 9449 8: the proof must carry the server's nonce (given in the DPoP-Nonce header) */
  useDpopNonce: "use_dpop_nonce",
} as const;
export type ErrorCodeName = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Signing algorithms an API resource may choose for its access tokens. */
export const SIGNING_ALGS = ["RS256", "PS256", "ES256", "EdDSA"] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];
export const DEFAULT_SIGNING_ALG: SigningAlg = "RS256";

/** Algorithms accepted on client assertions (private_key_jwt): asymmetric only. */
export const CLIENT_ASSERTION_ALGS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"] as const;

/** The security profiles a client may follow (profiles.ts). */
export const ClientProfile = { default: "default", fapi2: "fapi2" } as const;
export type ClientProfileName = (typeof ClientProfile)[keyof typeof ClientProfile];

export const AccessTokenFormat = { jwt: "jwt", reference: "reference" } as const;
export type AccessTokenFormatName = (typeof AccessTokenFormat)[keyof typeof AccessTokenFormat];

/** RFC 8693 section 3: the token types a token exchange takes and issues. */
export const TokenTypeUri = {
  accessToken: "urn:ietf:params:oauth:token-type:access_token",
  refreshToken: "urn:ietf:params:oauth:token-type:refresh_token",
  idToken: "urn:ietf:params:oauth:token-type:id_token",
  jwt: "urn:ietf:params:oauth:token-type:jwt",
} as const;
/** RFC 6749 7.1 access token types: RFC 6750 Bearer, RFC 9449 DPoP (the Authorization scheme too) */
export const TokenType = { bearer: "Bearer", dpop: "DPoP" } as const;
export type TokenTypeName = (typeof TokenType)[keyof typeof TokenType];

/** RFC 9449 4.2: the typ of a DPoP proof JWT, and its request header */
export const DPOP_JWT_TYPE = "dpop+jwt";
export const DPOP_HEADER = "dpop";
/** RFC 9449 8.1: the response header that carries a server nonce */
export const DPOP_NONCE_HEADER = "DPoP-Nonce";
/** Asymmetric algorithms accepted on DPoP proofs (dpop_signing_alg_values_supported). */
export const DPOP_SIGNING_ALGS = ["ES256", "PS256", "RS256", "EdDSA"] as const;

/** RFC 9068 section 2.1 */
export const ACCESS_TOKEN_JWT_TYPE = "at+jwt";

export const GrantRecordType = {
  authorizationCode: "authorization_code",
  refreshToken: "refresh_token",
  referenceToken: "reference_token",
  consent: "consent",
  /** an authorization or logout request waiting for the user (login, consent, confirmation) */
  interaction: "interaction",
  /** an authorization request pushed to the PAR endpoint (RFC 9126), waiting for its request_uri */
  pushedRequest: "pushed_request",
  /** a device authorization (RFC 8628), by its device_code: polled by the device, taken once */
  deviceCode: "device_code",
  /** a device authorization by its user_code: what the verification page shows and decides, once */
  userCode: "user_code",
} as const;

export const OFFLINE_ACCESS = "offline_access";
export const OPENID = "openid";

export const Prompt = { none: "none", login: "login", consent: "consent", selectAccount: "select_account" } as const;
/**
 * A pairwise client's user token carries the user's id sealed under this claim name (opaque to
 * everyone else), so the server finds the user while its sub is the pairwise one (subject.ts).
 */
/** RFC 9701: the typ (and media subtype) of a JWT introspection response */
export const INTROSPECTION_JWT_TYPE = "token-introspection+jwt";

export const SEALED_SUBJECT_CLAIM = "portcullis_uid";

/** OAuth 2.0 Multiple Response Types, Form Post, and JARM's signed modes ("jwt" picks query.jwt or fragment.jwt) */
export const RESPONSE_MODES = ["query", "fragment", "form_post", "jwt", "query.jwt", "fragment.jwt", "form_post.jwt"] as const;
/** JARM 2.1: how long a signed authorization response is valid (seconds) */
export const JARM_LIFETIME = 300;

/**
 * The response types a client may register (OpenID Connect Core 3.1-3.3): never one that puts an
 * access token in the front channel. A type with id_token needs the grant type implicit
 * (OpenID Connect Registration 2).
 */
export const ResponseType = { code: "code", codeIdToken: "code id_token", idToken: "id_token" } as const;
export const RESPONSE_TYPES = [ResponseType.code, ResponseType.codeIdToken, ResponseType.idToken] as const;
export type ResponseTypeName = (typeof RESPONSE_TYPES)[number];
/** RFC 7591 2.1's grant type of the response types that return an ID token from the authorization endpoint. */
export const IMPLICIT = "implicit";
export type ResponseMode = (typeof RESPONSE_MODES)[number];

export const Cookies = {
  session: "portcullis.session",
  csrf: "portcullis.csrf",
} as const;

/**
 * The ID token's protocol claims (JWT, RFC 7519 4.1; OpenID Connect Core 2, 3.1.3.6, 3.3.2.11;
 * RFC 7800; RFC 8417; the idp Portcullis adds): only the token itself sets them, never a stored
 * user claim, also where the token leaves one out (no nonce asked, a local sign-in has no idp).
 */
export const ID_TOKEN_PROTOCOL_CLAIMS: ReadonlySet<string> = new Set([
  "iss",
  "sub",
  "aud",
  "exp",
  "iat",
  "nbf",
  "jti",
  "auth_time",
  "nonce",
  "acr",
  "amr",
  "azp",
  "sid",
  "at_hash",
  "c_hash",
  "s_hash",
  "idp",
  "cnf",
  "events",
  "typ",
]);

export const STANDARD_IDENTITY_SCOPES = ["openid", "profile", "email", "address", "phone"] as const;

export const Paths = {
  discovery: "/.well-known/openid-configuration",
  oauthMetadata: "/.well-known/oauth-authorization-server",
  jwks: "/.well-known/jwks.json",
  token: "/connect/token",
  introspection: "/connect/introspect",
  revocation: "/connect/revocation",
  authorize: "/connect/authorize",
  authorizeResume: "/connect/authorize/resume",
  userinfo: "/connect/userinfo",
  endSession: "/connect/endsession",
  /** Front-Channel Logout 1.0: the page that loads the clients' frontchannel_logout_uri after a logout */
  frontchannelLogout: "/connect/endsession/frontchannel",
  pushedAuthorizationRequest: "/connect/par",
  deviceAuthorization: "/connect/deviceauth",
  /** RFC 7591; RFC 7592's registration_client_uri is this path + "/" + client_id */
  registration: "/connect/register",
} as const;

/** RFC 9126 2.2: the prefix of every request_uri the PAR endpoint gives out. */
export const PAR_REQUEST_URI_PREFIX = "urn:ietf:params:oauth:request_uri:";

/** The portal's pages the protocol sends the browser to. */
export const Pages = {
  login: "/interaction/login",
  consent: "/interaction/consent",
  /** the second factor: a code, a recovery code or a passkey, or enrolment when one is required and none exists */
  mfa: "/interaction/mfa",
  logout: "/interaction/logout",
  error: "/interaction/error",
  signedOut: "/signed-out",
  /** RFC 8628 verification_uri: the user enters or confirms the device's user_code */
  device: "/device",
} as const;

/**
 * RFC 8628 6.1: user codes of 8 characters from 20 consonants (no vowels, so no words; no 0/O,
 * 1/I/L look-alikes), about 34 bits; shown as XXXX-XXXX.
 */
export const USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
export const USER_CODE_LENGTH = 8;
/** RFC 8628 3.5: what slow_down adds to the device's polling interval (seconds) */
export const SLOW_DOWN_SECONDS = 5;
/** OpenID Connect Back-Channel Logout 1.0 section 2.4 and 2.5 */
export const BackchannelLogout = {
  /** the JWT header typ of a logout token (section 2.4, RFC 8725 explicit typing) */
  tokenType: "logout+jwt",
  /** the one member of the events claim */
  event: "http://schemas.openid.net/event/backchannel-logout",
  /** the form parameter of the POST (section 2.5) */
  parameter: "logout_token",
} as const;
