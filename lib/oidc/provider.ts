import { createConfigCache } from "./cache";
import { resolveSettings, type ProviderSettingsInput } from "./config";
import { Pages, Paths } from "./constants";
import type { Logger, ProviderContext, SignInPolicy } from "./context";
import { SecretBox, createSigner, sha256, type Sha256 } from "./crypto";
import { createGrantRegistry } from "./grants";
import { KeyManager } from "./keys";
import { createRevocations } from "./revocations";
import type { ChangeFeed, ClientRegistrar, Stores } from "./ports";
import type { KeyImporter } from "./jwt";
import { noRateLimits, type RateLimiter } from "./rate-limit";
import { createClientAuthFailureLog } from "./client-auth/failures";

export interface ProviderOptions {
  settings: ProviderSettingsInput;
  stores: Stores;
  /** the server secret: signing keys are sealed with a key derived from it */
  secret: string;
  /** the salt of pairwise subject identifiers (subject.ts); derived from the secret without one */
  pairwiseSalt?: string;
  log?: Logger;
  now?: () => number;
  /** how private keys become signing functions; WebCrypto by default */
  keyImporter?: KeyImporter;
  /** SHA-256 for handles and secrets; WebCrypto by default (a synchronous one is faster) */
  sha256?: Sha256;
  /** counts requests for settings.rateLimits (lib/server/rate-limit.ts); without one nothing is limited */
  rateLimiter?: RateLimiter;
  /** the portal's run-time sign-in rules; none required without one */
  signInPolicy?: SignInPolicy;
  /** dynamic client registration (lib/admin/registration.ts); without one the endpoint is not served */
  registrar?: ClientRegistrar;
}

/** Builds the protocol core. No framework, no globals: each call is an independent provider. */
export async function createProvider(options: ProviderOptions): Promise<ProviderContext> {
  const settings = resolveSettings(options.settings);
  const now = options.now ?? Date.now;
  const box = await SecretBox.fromSecret(options.secret, "signing-keys");
  const sign = await createSigner(options.secret, "csrf");
  const url = (path: string) => settings.issuer + path;
  const keys = new KeyManager(options.stores.keys, box, settings, now, options.keyImporter);
  const revocations = createRevocations(options.stores.revocations, now);
  const watcher = createChangeWatcher(options.stores.changes, now, (changed) => {
    if (changed.config) config.invalidate();
    if (changed.keys) keys.invalidate();
    if (changed.revocations) revocations.invalidate();
  });
  const config = createConfigCache(options.stores, settings.cacheTtl, now, watcher.poke);
  const log = options.log ?? consoleLogger;
  return {
    settings,
    stores: options.stores,
    keys,
    config,
    revocations,
    grants: createGrantRegistry(),
    log,
    now,
    sha256: options.sha256 ?? sha256,
    sign,
    pairwise: await createSigner(options.pairwiseSalt ?? options.secret, "pairwise-subject"),
    box: await SecretBox.fromSecret(options.secret, "grant-data"),
    urls: {
      token: url(Paths.token),
      introspection: url(Paths.introspection),
      revocation: url(Paths.revocation),
      jwks: url(Paths.jwks),
      authorize: url(Paths.authorize),
      userinfo: url(Paths.userinfo),
      endSession: url(Paths.endSession),
      pushedAuthorizationRequest: url(Paths.pushedAuthorizationRequest),
      deviceAuthorization: url(Paths.deviceAuthorization),
      deviceVerification: url(Pages.device),
      registration: url(Paths.registration),
    },
    limits: options.rateLimiter ?? noRateLimits,
    clientAuthFailures: createClientAuthFailureLog(options.stores.audit, now, log),
    signInPolicy: options.signInPolicy ?? { requireMfa: async () => false },
    registrar: options.registrar ?? null,
  };
}

const CHANGE_POLL_MS = 1000;

/**
 * Polls the change feed at most once a second, in the background of the requests that poke it:
 * no request waits for it, and a change made on another instance is seen within about a second.
 */
type Versions = Awaited<ReturnType<ChangeFeed["versions"]>>;

function createChangeWatcher(feed: ChangeFeed, now: () => number, onChange: (changed: { [K in keyof Versions]: boolean }) => void) {
  let last: Versions | null = null;
  let checkedAt = -Infinity;
  let inflight = false;
  return {
    poke: () => {
      if (inflight || now() - checkedAt < CHANGE_POLL_MS) return;
      inflight = true;
      checkedAt = now();
      feed
        .versions()
        .then(
          (v) => {
            if (last)
              onChange({ config: v.config !== last.config, keys: v.keys !== last.keys, revocations: v.revocations !== last.revocations });
            last = v;
          },
          () => {
            /* the next poke tries again */
          },
        )
        .finally(() => {
          inflight = false;
        });
    },
  };
}

export const consoleLogger: Logger = {
  warn: (message, fields) => console.warn(`[portcullis] ${message}`, fields ?? ""),
  error: (message, fields) => console.error(`[portcullis] ${message}`, fields ?? ""),
};
