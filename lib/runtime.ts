/**
 * The composition root: environment, database, migrations, server secret, protocol provider,
 * first-start seed and configuration import. One runtime per process, shared through
 * globalThis so the fast server and Next's bundled route handlers use the same one.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { createDb, providerOf, sqlitePath, type Db } from "./db";
import { createSqliteHotStores } from "./stores/sqlite";
import { migrate } from "./db/migrate";
import { abuseSettings, env as readEnv, registrationSettings, type Env } from "./env";
import { createProvider, SecretBox, type AccountSettings, type ProviderContext } from "./oidc";
import { accountSettingsInput } from "./schemas/account";
import { createPrismaStores } from "./stores/prisma";
import { createPrismaConfigRepository } from "./stores/prisma/config-repository";
import { importConfig, type ConfigRepository } from "./admin/config-transfer";
import { ensureBuiltins, seed, type DemoCredentials } from "./admin/seed";
import { createAdmin, type Admin } from "./admin";
import { createPrismaClientAdminStore } from "./stores/prisma/clients-admin";
import { createPrismaRegistrationStore } from "./stores/prisma/registration";
import { createClientRegistrar } from "./admin/registration";
import { createPrismaDirectoryStore } from "./stores/prisma/directory";
import { createPrismaIdentityProviderStore } from "./stores/prisma/identity-providers";
import { UPSTREAM_SECRETS_PURPOSE } from "./auth/external/ports";
import type { UserAccountStore } from "./auth/ports";
import { createPrismaUserAccountStore } from "./stores/prisma/users";
import type { AccountStore } from "./account/ports";
import { createPrismaAccountStore } from "./stores/prisma/account";
import type { PasskeyStore } from "./auth/passkeys";
import { createPrismaPasskeyStore } from "./stores/prisma/passkeys";
import { nodeCryptoImporter, nodeSha256 } from "./server/node-signer";
import { consoleLogger } from "./oidc";
import { createRateLimiter } from "./server/rate-limit";
import { startHousekeeping } from "./server/housekeeping";
import { createSweeper, type Sweeper } from "./stores/prisma/sweeper";
import { createLogoutDelivery, type LogoutDelivery } from "./server/logout-delivery";
import { createPrismaLogoutDeliveryStore } from "./stores/prisma/logout-deliveries";
import { createPrismaOutboxStore } from "./stores/prisma/outbox";
import { consoleMailLog, createMailer, defaultFrom, type Mailer } from "./mail";
import { createFactorService, FACTOR_SECRETS_PURPOSE, type FactorService } from "./auth/factors";
import { createPrismaFactorStore } from "./stores/prisma/factors";
import { createPortalSettingsService, type PortalSettingsService } from "./settings";
import { createPrismaSettingStore } from "./stores/prisma/settings";
import { createLifecycle, type Lifecycle } from "./lifecycle/service";
import { createPrismaLifecycleStore } from "./stores/prisma/lifecycle";

export interface Runtime {
  env: Env;
  db: Db;
  provider: ProviderContext;
  config: ConfigRepository;
  accounts: UserAccountStore;
  /** the account area's own queries (lib/account) */
  account: AccountStore;
  /** the users' passkeys (lib/auth/passkeys) */
  passkeys: PasskeyStore;
  admin: Admin;
  /** deletes expired rows; the server runs it every PORTCULLIS_SWEEP_INTERVAL, `portcullis sweep` once */
  sweeper: Sweeper;
  /** back-channel logout: the server runs a round every PORTCULLIS_LOGOUT_DELIVERY_INTERVAL (lib/server/logout-delivery.ts) */
  logoutDelivery: LogoutDelivery;
  /** outgoing mail: SMTP with PORTCULLIS_SMTP_URL, else the console's outbox (lib/mail) */
  mailer: Mailer;
  /** the console's portal settings (sign-up, password policy, second factor): lib/settings */
  settings: PortalSettingsService;
  /** sign-up, email verification, password reset (lib/lifecycle) */
  lifecycle: Lifecycle;
  /** the server secret and the box sealing upstream identity providers' secrets (lib/auth/external) */
  secrets: { server: string; upstream: SecretBox };
  /** second factors: authenticator apps, recovery codes (lib/auth/factors) */
  factors: FactorService;
  close(): Promise<void>;
}

export interface StartOptions {
  /** skip the first-start seed, PORTCULLIS_IMPORT and the background rounds (CLI commands) */
  bare?: boolean;
  print?: (line: string) => void;
}

const SEEDED = "seeded";

export async function startRuntime(options: StartOptions = {}): Promise<Runtime> {
  const print = options.print ?? ((line: string) => console.log(line));
  const env = readEnv();
  const applied = await migrate(env.DATABASE_URL);
  if (applied.length) print(`[portcullis] applied migrations: ${applied.join(", ")}`);
  const db = createDb(env.DATABASE_URL);
  const hot = providerOf(env.DATABASE_URL) === "sqlite" ? createSqliteHotStores(sqlitePath(env.DATABASE_URL)) : null;
  const stores = { ...createPrismaStores(db), ...(hot ? { grants: hot.grants, users: hot.users, replay: hot.replay } : {}) };
  const abuse = abuseSettings(env);
  const rateLimiter = createRateLimiter(abuse.rateLimits, {
    store: env.PORTCULLIS_RATE_LIMIT_STORE,
    databaseUrl: env.DATABASE_URL,
    log: consoleLogger,
  });
  const secret = serverSecret(env, print);
  // The import file is read once: its settings shape the provider, its entries are imported below.
  const importFile = env.PORTCULLIS_IMPORT && !options.bare ? (JSON.parse(readFileSync(env.PORTCULLIS_IMPORT, "utf8")) as unknown) : null;
  const upstreamSecrets = await SecretBox.fromSecret(secret, UPSTREAM_SECRETS_PURPOSE);
  const config = createPrismaConfigRepository(db, upstreamSecrets);
  const clientAdminStore = createPrismaClientAdminStore(db);
  const registrationStore = createPrismaRegistrationStore(db);
  const registration = registrationSettings(env);
  const provider = await createProvider({
    settings: {
      issuer: env.issuer,
      keyRotationPeriod: env.PORTCULLIS_KEY_ROTATION_DAYS * 86400,
      keyActivationDelay: env.PORTCULLIS_KEY_ACTIVATION_DELAY,
      cacheTtl: env.PORTCULLIS_CACHE_TTL,
      requirePushedAuthorizationRequests: env.PORTCULLIS_REQUIRE_PAR,
      registration,
      dpopRequireNonce: env.PORTCULLIS_DPOP_REQUIRE_NONCE,
      ...abuse,
      account: accountSettingsOf(importFile),
    },
    stores,
    secret,
    pairwiseSalt: env.PORTCULLIS_PAIRWISE_SALT,
    keyImporter: nodeCryptoImporter,
    sha256: nodeSha256,
    rateLimiter,
    // The console's "require a second factor for everyone" (the settings service is made below).
    signInPolicy: { requireMfa: async () => (await settings.get()).mfa.required },
    registrar: createClientRegistrar({
      clients: clientAdminStore,
      store: registrationStore,
      repo: config,
      audit: stores.audit,
      policy: registration,
      changed: () => provider.config.invalidate(),
    }),
  });
  const sweeper = createSweeper(db, providerOf(env.DATABASE_URL), { retention: provider.settings.retention });
  const logoutDelivery = createLogoutDelivery({
    ctx: provider,
    store: createPrismaLogoutDeliveryStore(db),
    settings: { allowPrivate: env.PORTCULLIS_ALLOW_PRIVATE_LOGOUT_URIS },
  });
  const factorStore = createPrismaFactorStore(db);
  const accounts = createPrismaUserAccountStore(db);
  const outbox = createPrismaOutboxStore(db);
  const mailer = createMailer({
    smtpUrl: env.PORTCULLIS_SMTP_URL,
    from: env.PORTCULLIS_MAIL_FROM ?? defaultFrom(env.issuer),
    outbox,
    log: consoleMailLog,
  });
  // The settings service authorizes through the admin access check, made just below.
  const settings: PortalSettingsService = createPortalSettingsService({
    store: createPrismaSettingStore(db),
    audit: provider.stores.audit,
    authorize: (principal) => admin.access.authorize(principal),
    now: () => provider.now(),
    warn: (message, fields) => provider.log.warn(message, fields),
  });
  const admin: Admin = createAdmin({
    provider,
    config,
    clients: clientAdminStore,
    registration: registrationStore,
    directory: createPrismaDirectoryStore(db, providerOf(env.DATABASE_URL)),
    identityProviders: createPrismaIdentityProviderStore(db, providerOf(env.DATABASE_URL), upstreamSecrets),
    outbox,
    mailer,
    factors: factorStore,
    upstream: { timeoutMs: env.PORTCULLIS_UPSTREAM_TIMEOUT * 1000, maxBytes: env.PORTCULLIS_UPSTREAM_MAX_BYTES },
    passwordPolicy: async () => (await settings.get()).password,
  });
  await provider.keys.maintain();
  await ensureBuiltins(config);
  if (!options.bare) {
    const demo = await seedOnce(db, config, env.PORTCULLIS_DEMO);
    if (demo) printDemo(demo, env, print);
    if (env.PORTCULLIS_IMPORT) {
      const summary = await importConfig(config, importFile);
      print(`[portcullis] imported ${env.PORTCULLIS_IMPORT}: ${summary.created} created, ${summary.updated} updated`);
      provider.config.invalidate();
    }
  }
  const housekeeping = options.bare
    ? null
    : startHousekeeping({
        sweeper,
        failures: provider.clientAuthFailures,
        sweepInterval: provider.settings.retention.sweepInterval,
        logoutDelivery,
        logoutDeliveryInterval: env.PORTCULLIS_LOGOUT_DELIVERY_INTERVAL,
        log: provider.log,
      });
  return {
    env,
    db,
    provider,
    secrets: { server: secret, upstream: upstreamSecrets },
    mailer,
    config,
    accounts,
    factors: createFactorService({
      ctx: provider,
      store: factorStore,
      box: await SecretBox.fromSecret(secret, FACTOR_SECRETS_PURPOSE),
      accounts,
    }),
    account: createPrismaAccountStore(db, providerOf(env.DATABASE_URL)),
    passkeys: createPrismaPasskeyStore(db),
    admin,
    settings,
    lifecycle: createLifecycle({ ctx: provider, store: createPrismaLifecycleStore(db), mailer, settings: () => settings.get() }),
    sweeper,
    logoutDelivery,
    close: async () => {
      await housekeeping?.stop();
      await provider.clientAuthFailures.flush();
      await rateLimiter.close();
      hot?.close();
      await db.$disconnect();
    },
  };
}

/** `settings.account` of the import file, validated (a wrong one stops the start with its reason). */
function accountSettingsOf(file: unknown): Partial<AccountSettings> | undefined {
  const raw = (file as { settings?: { account?: unknown } } | null)?.settings?.account;
  if (raw === undefined) return undefined;
  const parsed = accountSettingsInput.safeParse(raw);
  if (!parsed.success)
    throw new Error(
      `settings.account in PORTCULLIS_IMPORT: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  return parsed.data;
}

const KEY = Symbol.for("portcullis.runtime");
type Holder = { [KEY]?: Promise<Runtime> };

/** The process's runtime, started on first use. */
export function getRuntime(): Promise<Runtime> {
  const holder = globalThis as Holder;
  holder[KEY] ??= startRuntime().catch((err) => {
    delete holder[KEY];
    throw err;
  });
  return holder[KEY];
}

/** Makes `runtime` the process's runtime (the production server starts it before listening). */
export function setRuntime(runtime: Runtime): void {
  (globalThis as Holder)[KEY] = Promise.resolve(runtime);
}

function serverSecret(env: Env, print: (line: string) => void): string {
  if (env.PORTCULLIS_SECRET) return env.PORTCULLIS_SECRET;
  const file = path.resolve(env.PORTCULLIS_DATA_DIR, "secret");
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32).toString("base64url") + "\n", { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  print(
    `[portcullis] WARNING: PORTCULLIS_SECRET is not set; signing keys are sealed with the generated secret in ${file}. ` +
      "Set PORTCULLIS_SECRET (the same on every instance) in production.",
  );
  return readFileSync(file, "utf8").trim();
}

async function seedOnce(db: Db, config: ConfigRepository, demo: boolean): Promise<DemoCredentials | null> {
  // Claim first: of several instances starting on a new database, one seeds.
  try {
    await db.changeStamp.create({ data: { key: SEEDED, version: 1 } });
  } catch {
    return null;
  }
  try {
    return await seed(config, demo);
  } catch (err) {
    await db.changeStamp.delete({ where: { key: SEEDED } });
    throw err;
  }
}

function printDemo(d: DemoCredentials, env: Env, print: (line: string) => void): void {
  print(
    [
      "",
      "  Portcullis demo data created. These credentials are shown once: note them now.",
      `    admin console user   ${d.adminUsername} / ${d.adminPassword}`,
      `    machine client       ${d.clientId} / ${d.clientSecret}`,
      `    demo API (introspection) ${d.apiName} / ${d.apiSecret}`,
      `  Get a token:`,
      `    curl -u '${d.clientId}:${d.clientSecret}' -d grant_type=client_credentials -d scope=demo.read ${env.issuer}/connect/token`,
      "",
    ].join("\n"),
  );
}
