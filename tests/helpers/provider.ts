/** A protocol core on in-memory stores with a movable clock, for tests without HTTP. */
import { hashSecret } from "@/lib/oidc/crypto";
import { clientSettings } from "@/lib/schemas/client";
import { createProvider } from "@/lib/oidc";
import type { ProviderContext } from "@/lib/oidc";
import type { ApiResourceRecord, ClientRecord, UserRecord } from "@/lib/oidc/ports";
import { createMemoryStores, type MemoryStores } from "@/lib/stores/memory";

export const ISSUER = "https://id.example.test";
export const SECRET = "s3cret-s3cret-s3cret-s3cret-s3cret-0123";

export interface TestProvider {
  ctx: ProviderContext;
  stores: MemoryStores;
  clock: { now: number; advance(seconds: number): void };
  logs: { level: string; message: string; fields?: Record<string, unknown> }[];
}

export async function testProvider(settings: Record<string, number | boolean> = {}): Promise<TestProvider> {
  const clock = {
    now: Date.UTC(2026, 0, 1),
    advance(s: number) {
      this.now += s * 1000;
    },
  };
  const stores = createMemoryStores(() => clock.now);
  const logs: TestProvider["logs"] = [];
  const ctx = await createProvider({
    settings: { issuer: ISSUER, cacheTtl: 0, ...settings },
    stores,
    secret: "test-server-secret-test-server-secret",
    now: () => clock.now,
    log: {
      warn: (message, fields) => logs.push({ level: "warn", message, fields }),
      error: (message, fields) => logs.push({ level: "error", message, fields }),
    },
  });
  await ctx.keys.maintain();
  return { ctx, stores, clock, logs };
}

const settings = clientSettings.parse({});

/** A client record's settings when a test does not say otherwise: the zod schema's defaults (lib/schemas/client.ts). */
export const CLIENT_DEFAULTS = {
  applicationType: "web",
  tokenEndpointAuthSigningAlg: null,
  defaultMaxAge: null,
  idTokenLifetime: settings.id_token_lifetime,
  authorizationCodeLifetime: settings.authorization_code_lifetime,
  refreshTokenAbsoluteLifetime: settings.refresh_token_absolute_lifetime,
  refreshTokenSlidingLifetime: settings.refresh_token_sliding_lifetime,
  refreshTokenReuseGrace: settings.refresh_token_reuse_grace,
  allowOfflineAccess: settings.allow_offline_access,
  requirePkce: settings.require_pkce,
  requireConsent: settings.require_consent,
  allowRememberConsent: settings.allow_remember_consent,
  idTokenUserClaims: settings.id_token_user_claims,
  requireMfa: settings.require_mfa,
  requirePushedAuthorizationRequests: false,
  pushedRequestLifetime: settings.pushed_request_lifetime,
  subjectType: "public",
  sectorIdentifier: null,
  requestObjectSigningAlg: null,
  requireSignedRequestObject: false,
  deviceCodeLifetime: settings.device_code_lifetime,
  devicePollInterval: settings.device_poll_interval,
  tokenExchange: { impersonation: false, delegation: false, audiences: [], subjectClients: [] },
  backchannelLogoutUri: null,
  backchannelLogoutSessionRequired: false,
  frontchannelLogoutUri: null,
  frontchannelLogoutSessionRequired: false,
  dpopBoundAccessTokens: false,
  profile: settings.profile,
  clientUri: null,
  logoUri: null,
} as const satisfies Partial<ClientRecord>;

export async function addClient(
  stores: MemoryStores,
  overrides: Partial<ClientRecord> & { clientId: string },
  secret = SECRET,
): Promise<ClientRecord> {
  const client: ClientRecord = {
    clientName: overrides.clientId,
    enabled: true,
    tokenEndpointAuthMethod: "client_secret_basic",
    grantTypes: ["client_credentials"],
    redirectUris: [],
    postLogoutRedirectUris: [],
    allowedScopes: ["orders.read", "orders.write"],
    jwks: null,
    accessTokenFormat: "jwt",
    accessTokenLifetime: 3600,
    ...CLIENT_DEFAULTS,
    secrets: [{ hash: await hashSecret(secret), expiresAt: null }],
    ...overrides,
    responseTypes: overrides.responseTypes ?? ((overrides.grantTypes ?? []).includes("authorization_code") ? ["code"] : []),
  };
  stores.data.clients.set(client.clientId, client);
  return client;
}

/** A user who may sign in: unlocked, no claims. */
export function addUser(stores: MemoryStores, id: string, username: string, now: number, extra: Partial<UserRecord> = {}): void {
  stores.data.users.set(id, {
    id,
    username,
    email: null,
    emailVerified: false,
    claims: {},
    roles: [],
    locked: false,
    updatedAt: new Date(now),
    ...extra,
  });
}

export async function addApi(
  stores: MemoryStores,
  name: string,
  scopes: string[],
  extra: Partial<ApiResourceRecord> = {},
  secret?: string,
): Promise<ApiResourceRecord> {
  const api: ApiResourceRecord = {
    name,
    enabled: true,
    signingAlg: "RS256",
    scopes: scopes.map((s) => ({ name: s, enabled: true })),
    secrets: secret ? [{ hash: await hashSecret(secret), expiresAt: null }] : [],
    ...extra,
  };
  stores.data.apiResources.push(api);
  return api;
}

/** A form POST to the issuer's endpoint, built as a client library would. */
export function formRequest(path: string, body: string | Record<string, string | string[]>, headers: Record<string, string> = {}): Request {
  const text =
    typeof body === "string"
      ? body
      : new URLSearchParams(Object.entries(body).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]))).toString();
  return new Request(ISSUER + path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: text,
  });
}

export function basic(id: string, secret: string): Record<string, string> {
  const enc = (v: string) => encodeURIComponent(v).replace(/%20/g, "+");
  return { authorization: "Basic " + Buffer.from(`${enc(id)}:${enc(secret)}`).toString("base64") };
}
