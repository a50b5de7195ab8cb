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
import type { ClientAdminStore, DirectoryStore, RegistrationStore } from "./ports";
import { createRegistrationAdmin } from "./registration";
import { createFactorAdmin } from "./factors";
import type { FactorStore } from "../auth/factors/ports";
import type { PasswordPolicy } from "../settings/schema";

export function createAdmin(deps: {
  provider: ProviderContext;
  clients: ClientAdminStore;
  /** initial access tokens for dynamic client registration (absent: none can be issued) */
  registration?: RegistrationStore;
  directory: DirectoryStore;
  config: ConfigRepository;
  identityProviders: IdentityProviderStore;
  outbox: OutboxStore;
  mailer: Pick<Mailer, "mode"> & Partial<Pick<Mailer, "send">>;
  /** users' second factors (absent: the console shows none and cannot reset) */
  factors?: FactorStore;
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
    registration: createRegistrationAdmin(
      deps.registration ?? noRegistrationStore,
      audit,
      access.authorize,
      () => provider.now(),
      provider.settings.registration,
    ),
    outbox: createOutboxAdmin(deps.outbox, deps.mailer.mode, access.authorize),
    factors: createFactorAdmin(deps.factors ?? emptyFactorStore, audit, access.authorize, {
      mailer: deps.mailer.send ? { send: (m) => deps.mailer.send!(m) } : undefined,
      portal: "Portcullis",
      log: (m) => provider.log.warn(m),
    }),
  };
}

export type Admin = ReturnType<typeof createAdmin>;

/** For admins built without a registration store (tests of other areas): no tokens, none issued. */
const noRegistrationStore: RegistrationStore = {
  useInitialAccessToken: async () => null,
  issueInitialAccessToken: async () => {
    throw new Error("no registration store");
  },
  listInitialAccessTokens: async () => [],
  revokeInitialAccessToken: async () => false,
  setRegistrationAccessToken: async () => {},
  registrationOf: async () => null,
};

/** For admins built without a factor store (tests of other areas): nobody has a factor. */
const emptyFactorStore: FactorStore = {
  getTotp: async () => null,
  startTotp: async () => false,
  confirmTotp: async () => false,
  useTotpStep: async () => false,
  removeTotp: async () => false,
  replaceRecoveryCodes: async () => {},
  useRecoveryCode: async () => false,
  recoveryCodesLeft: async () => 0,
  listPasskeys: async () => [],
  countPasskeys: async () => 0,
  resetAll: async () => ({ totp: false, recoveryCodes: 0, passkeys: 0 }),
  findUser: async () => null,
  findUserByName: async () => null,
};
