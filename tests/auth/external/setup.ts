/**
 * Portcullis in-process on a real database for the external sign-in tests: the protocol core on
 * Prisma stores, the identity provider store, and the external sign-in service, plus a relying
 * party client to start authorization requests with.
 */
import { createDb, type Db, type DbProvider } from "@/lib/db";
import { migrate } from "@/lib/db/migrate";
import { createProvider, type ProviderContext } from "@/lib/oidc";
import { SecretBox, base64url } from "@/lib/oidc/crypto";
import { routeProtocol } from "@/lib/oidc/routes";
import { importConfig } from "@/lib/admin/config-transfer";
import { seed } from "@/lib/admin/seed";
import { createPrismaStores } from "@/lib/stores/prisma";
import { createPrismaConfigRepository } from "@/lib/stores/prisma/config-repository";
import { createPrismaIdentityProviderStore } from "@/lib/stores/prisma/identity-providers";
import type { IdentityProviderData, IdentityProviderStore } from "@/lib/auth/external/ports";
import { createExternalSignIn, type ExternalSignIn } from "@/lib/auth/external/service";
import { reauthenticateWithUpstream } from "@/lib/account/reauth";
import { createPrismaAccountStore } from "@/lib/stores/prisma/account";
import { createTestDatabase, type TestDatabase } from "../../helpers/databases";

export const ISSUER = "http://portcullis.test";
export const SERVER_SECRET = "external-tests-server-secret-0123456789";
export const RP_REDIRECT = "https://rp.example/cb";
const VERIFIER = "external-test-verifier-".padEnd(50, "x");

export interface TestPortcullis {
  kind: DbProvider;
  db: Db;
  ctx: ProviderContext;
  store: IdentityProviderStore;
  service: ExternalSignIn;
  logs: { message: string; fields?: Record<string, unknown> }[];
  clock: { now: number };
  /** Serves a request as the issuer would: the external routes and the protocol endpoints. */
  handle(req: Request): Promise<Response>;
  /** Starts an authorization request of the test client; returns its interaction id. */
  interaction(): Promise<string>;
  close(): Promise<void>;
}

export async function startPortcullis(
  kind: DbProvider,
  options: {
    fetch?: typeof fetch;
    timeoutMs?: number;
    maxBytes?: number;
    /** a clock the test moves (clock.now) instead of the real one */ clock?: boolean;
    /** wire the account area's re-authentication through an upstream, as lib/auth/external/wiring.ts does */
    reauth?: boolean;
  } = {},
): Promise<TestPortcullis> {
  const database: TestDatabase = await createTestDatabase(kind);
  await migrate(database.url);
  const db = createDb(database.url);
  const stores = createPrismaStores(db);
  const logs: TestPortcullis["logs"] = [];
  const clock = { now: Date.now() };
  const now = options.clock ? () => clock.now : Date.now;
  const ctx = await createProvider({
    settings: { issuer: ISSUER, cacheTtl: 0 },
    stores,
    secret: SERVER_SECRET,
    now,
    log: { warn: (message, fields) => logs.push({ message, fields }), error: (message, fields) => logs.push({ message, fields }) },
  });
  await ctx.keys.maintain();
  const config = createPrismaConfigRepository(db);
  await seed(config, false);
  await importConfig(config, {
    clients: [
      {
        client_id: "rp",
        client_name: "Relying Party",
        client_secret: "rp-secret-".padEnd(40, "r"),
        grant_types: ["authorization_code"],
        redirect_uris: [RP_REDIRECT],
        scope: "openid profile email",
        portcullis: { kind: "web", require_consent: false },
      },
    ],
  });
  const store = createPrismaIdentityProviderStore(db, kind, await SecretBox.fromSecret(SERVER_SECRET, "upstream-secrets"));
  const service = await createExternalSignIn({
    ctx,
    store,
    secret: SERVER_SECRET,
    timeoutMs: options.timeoutMs ?? 10_000,
    maxBytes: options.maxBytes ?? 1_048_576,
    cacheTtlMs: 0,
    fetch: options.fetch,
    ...(options.reauth
      ? {
          reauthenticate: async (outcome, meta) =>
            (await reauthenticateWithUpstream(ctx, createPrismaAccountStore(db, kind), meta.sessionHandle, outcome, meta)) ===
            "reauthenticated",
        }
      : {}),
  });
  const handle = async (req: Request) => {
    const path = new URL(req.url).pathname;
    if (path.startsWith("/interaction/external/")) return (await service.handle(req)) ?? new Response("not found", { status: 404 });
    return (await routeProtocol(req, ctx, path)) ?? new Response("not found", { status: 404 });
  };
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(VERIFIER))));
  return {
    kind,
    db,
    ctx,
    store,
    service,
    logs,
    clock,
    handle,
    async interaction() {
      const q = new URLSearchParams({
        client_id: "rp",
        response_type: "code",
        redirect_uri: RP_REDIRECT,
        scope: "openid profile email",
        state: "rp-state",
        nonce: "rp-nonce",
        code_challenge: challenge,
        code_challenge_method: "S256",
      });
      const res = await handle(new Request(`${ISSUER}/connect/authorize?${q}`));
      const location = new URL(res.headers.get("location")!);
      if (location.pathname !== "/interaction/login") throw new Error(`authorize went to ${location}`);
      return location.searchParams.get("interaction")!;
    },
    async close() {
      await db.$disconnect();
      await database.drop();
    },
  };
}

/** A provider record with the settings most tests use. */
export function providerData(overrides: Partial<IdentityProviderData> & Pick<IdentityProviderData, "id">): IdentityProviderData {
  return {
    displayName: overrides.id,
    type: "oidc",
    issuer: null,
    authorizationEndpoint: null,
    tokenEndpoint: null,
    userinfoEndpoint: null,
    tenant: null,
    clientId: "portcullis",
    clientSecret: "upstream-client-secret-0123456789",
    scope: null,
    enabled: true,
    claims: {},
    trustEmail: false,
    firstLogin: "create_or_link",
    emailDomains: [],
    ...overrides,
  };
}
