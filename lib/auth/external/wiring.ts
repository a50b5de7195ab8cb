/**
 * The process's external sign-in, built once from its runtime (the server secret and the sealing
 * box come from lib/runtime.ts, which reads the secret once).
 */
import { providerOf } from "../../db";
import { getRuntime, type Runtime } from "../../runtime";
import { createPrismaIdentityProviderStore } from "../../stores/prisma/identity-providers";
import { UPSTREAM_SECRETS_PURPOSE } from "./ports";
import { createExternalSignIn, type ExternalSignIn } from "./service";
import { reauthenticateWithUpstream } from "../../account/reauth";

export { UPSTREAM_SECRETS_PURPOSE };

const KEY = Symbol.for("portcullis.external-sign-in");
type Holder = { [KEY]?: Promise<ExternalSignIn> };

export async function buildExternalSignIn(runtime: Runtime): Promise<ExternalSignIn> {
  return createExternalSignIn({
    ctx: runtime.provider,
    store: createPrismaIdentityProviderStore(runtime.db, providerOf(runtime.env.DATABASE_URL), runtime.secrets.upstream),
    secret: runtime.secrets.server,
    timeoutMs: runtime.env.PORTCULLIS_UPSTREAM_TIMEOUT * 1000,
    maxBytes: runtime.env.PORTCULLIS_UPSTREAM_MAX_BYTES,
    cacheTtlMs: runtime.env.PORTCULLIS_CACHE_TTL * 1000,
    reauthenticate: async (outcome, meta) =>
      (await reauthenticateWithUpstream(runtime.provider, runtime.account, meta.sessionHandle, outcome, meta)) === "reauthenticated",
  });
}

/** The process's external sign-in, built on first use. */
export function getExternalSignIn(): Promise<ExternalSignIn> {
  const holder = globalThis as Holder;
  holder[KEY] ??= getRuntime()
    .then(buildExternalSignIn)
    .catch((err) => {
      delete holder[KEY];
      throw err;
    });
  return holder[KEY];
}
