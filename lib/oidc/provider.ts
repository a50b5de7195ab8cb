import { createConfigCache } from "./cache";
import { resolveSettings, type ProviderSettings } from "./config";
import { Paths } from "./constants";
import type { Logger, ProviderContext } from "./context";
import { SecretBox, createSigner } from "./crypto";
import { createGrantRegistry } from "./grants";
import { KeyManager } from "./keys";
import type { Stores } from "./ports";

export interface ProviderOptions {
  settings: Partial<ProviderSettings> & { issuer: string };
  stores: Stores;
  /** the server secret: signing keys are sealed with a key derived from it */
  secret: string;
  log?: Logger;
  now?: () => number;
}

/** Builds the protocol core. No framework, no globals: each call is an independent provider. */
export async function createProvider(options: ProviderOptions): Promise<ProviderContext> {
  const settings = resolveSettings(options.settings);
  const now = options.now ?? Date.now;
  const box = await SecretBox.fromSecret(options.secret, "signing-keys");
  const sign = await createSigner(options.secret, "csrf");
  const url = (path: string) => settings.issuer + path;
  return {
    settings,
    stores: options.stores,
    keys: new KeyManager(options.stores.keys, box, settings, now),
    config: createConfigCache(options.stores, settings.cacheTtl, now),
    grants: createGrantRegistry(),
    log: options.log ?? consoleLogger,
    now,
    sign,
    box: await SecretBox.fromSecret(options.secret, "grant-data"),
    urls: {
      token: url(Paths.token), introspection: url(Paths.introspection), revocation: url(Paths.revocation), jwks: url(Paths.jwks),
      authorize: url(Paths.authorize), userinfo: url(Paths.userinfo), endSession: url(Paths.endSession),
    },
  };
}

const consoleLogger: Logger = {
  warn: (message, fields) => console.warn(`[portcullis] ${message}`, fields ?? ""),
  error: (message, fields) => console.error(`[portcullis] ${message}`, fields ?? ""),
};
