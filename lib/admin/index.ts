/**
 * The admin services, wired to one access check: every service is handed the same `authorize`,
 * and the only way to call one is with a Principal from `access`.
 */
import { revokeUserTokens } from "../oidc";
import type { ProviderContext } from "../oidc";
import { createAdminAccess } from "./access";
import { createClientAdmin } from "./clients";
import type { ConfigRepository } from "./config-transfer";
import { createDirectoryAdmin } from "./directory";
import { createIdentityProviderAdmin, type UpstreamLimits } from "./identity-providers";
import { createKeyAdmin } from "./keys";
import { createOutboxAdmin } from "./outbox";
import type { Mailer, OutboxStore } from "../mail";
import type { IdentityProviderStore } from "../auth/external/ports";
import type { ClientAdminStore, DirectoryStore } from "./ports";
import type { PasswordPolicy } from "../settings/schema";

export function createAdmin(deps: {
  provider: ProviderContext;
  clients: ClientAdminStore;
  directory: DirectoryStore;
  config: ConfigRepository;
  identityProviders: IdentityProviderStore;
  outbox: OutboxStore;
  mailer: Pick<Mailer, "mode">;
  /** the limits of the upstream calls an identity provider check makes */
  upstream?: UpstreamLimits;
  /** the console's password policy (lib/settings), for the passwords administrators set */
  passwordPolicy?: () => Promise<PasswordPolicy>;
}) {
  const { provider } = deps;
  const access = createAdminAccess(provider);
  const audit = provider.stores.audit;
  // After a change this instance drops its caches at once (others within a second).
  const changed = () => provider.config.invalidate();
  return {
    access,
    clients: createClientAdmin(deps.clients, deps.config, audit, access.authorize, changed),
    directory: createDirectoryAdmin(
      deps.directory,
      deps.config,
      audit,
      access.authorize,
      changed,
      () => provider.now(),
      (userId) => revokeUserTokens(provider, userId),
      deps.passwordPolicy,
    ),
    identityProviders: createIdentityProviderAdmin(
      deps.identityProviders,
      provider.settings.issuer,
      audit,
      access.authorize,
      changed,
      deps.upstream,
    ),
    keys: createKeyAdmin(provider.keys, audit, access.authorize),
    outbox: createOutboxAdmin(deps.outbox, deps.mailer.mode, access.authorize),
  };
}

export type Admin = ReturnType<typeof createAdmin>;
