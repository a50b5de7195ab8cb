/**
 * The process's external sign-in, built once from its runtime (the composition root of this
 * feature until lib/runtime.ts carries it: Runtime does not expose the server secret yet, so it
 * is read here the way lib/runtime.ts keeps it, from PORTCULLIS_SECRET or the data directory).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { providerOf } from "../../db";
import { SecretBox } from "../../oidc";
import { getRuntime, type Runtime } from "../../runtime";
import { createPrismaIdentityProviderStore } from "../../stores/prisma/identity-providers";
import { UPSTREAM_SECRETS_PURPOSE } from "./ports";
import { createExternalSignIn, type ExternalSignIn } from "./service";

export { UPSTREAM_SECRETS_PURPOSE };

const KEY = Symbol.for("portcullis.external-sign-in");
type Holder = { [KEY]?: Promise<ExternalSignIn> };

export function serverSecret(runtime: Runtime): string {
  return runtime.env.PORTCULLIS_SECRET ?? readFileSync(path.resolve(runtime.env.PORTCULLIS_DATA_DIR, "secret"), "utf8").trim();
}

export async function buildExternalSignIn(runtime: Runtime): Promise<ExternalSignIn> {
  const secret = serverSecret(runtime);
  const box = await SecretBox.fromSecret(secret, UPSTREAM_SECRETS_PURPOSE);
  return createExternalSignIn({
    ctx: runtime.provider,
    store: createPrismaIdentityProviderStore(runtime.db, providerOf(runtime.env.DATABASE_URL), box),
    secret,
    timeoutMs: runtime.env.PORTCULLIS_UPSTREAM_TIMEOUT * 1000,
    maxBytes: runtime.env.PORTCULLIS_UPSTREAM_MAX_BYTES,
    cacheTtlMs: runtime.env.PORTCULLIS_CACHE_TTL * 1000,
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
