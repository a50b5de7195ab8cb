/**
 * Signing keys and their rotation.
 *
 * Rules:
 * - one key chain per algorithm in SIGNING_ALGS; generation numbers count up per algorithm;
 * - the current key is the newest generation whose activatesAt has passed; it alone signs;
 * - a next key is published in JWKS from its creation and signs only from activatesAt, so
 *   verifiers that cache JWKS learn it before they meet a token it signed;
 * - a retired key stays in JWKS for retiredKeyRetention after its successor activated (every
 *   token it signed has expired by then), then is deleted;
 * - rotation happens by command (rotateKeys) or by itself when the current key is older than
 *   keyRotationPeriod; (alg, generation) is unique in the store, so two instances cannot both
 *   create the same next key;
 * - private keys are stored only sealed with the server secret.
 */
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK } from "jose";
import type { ProviderSettings } from "./config";
import { SIGNING_ALGS, type SigningAlg } from "./constants";
import { randomHandle, type SecretBox } from "./crypto";
import type { KeyStore, SigningKeyRecord } from "./ports";
import { webCryptoImporter, type KeyImporter, type SignFn, type SigningKey } from "./jwt";

export type ActiveKey = SigningKey;

export type KeyState = "next" | "current" | "retired";

export interface KeyView {
  kid: string;
  alg: SigningAlg;
  generation: number;
  state: KeyState;
  createdAt: Date;
  activatesAt: Date;
  /** when it stops signing (retired and current-with-successor keys) */
  retiresAt: Date | null;
  /** when it leaves JWKS */
  removedAt: Date | null;
}

type Clock = () => number;

export class KeyManager {
  private cache: { loadedAt: number; keys: SigningKeyRecord[] } | null = null;
  private verifier: { kids: string; set: ReturnType<typeof createLocalJWKSet> } | null = null;
  private published: { kids: string; set: { keys: JWK[] } } | null = null;
  private loading: Promise<SigningKeyRecord[]> | null = null;
  private readonly privateKeys = new Map<string, Promise<SignFn>>();

  constructor(
    private readonly store: KeyStore,
    private readonly box: SecretBox,
    private readonly settings: ProviderSettings,
    private readonly now: Clock = Date.now,
    private readonly importer: KeyImporter = webCryptoImporter,
  ) {}

  /** Drops the cached key list (after a rotation in this process). */
  invalidate(): void {
    this.cache = null;
  }

  /** The key that signs now for `alg`. */
  async signingKey(alg: SigningAlg): Promise<ActiveKey> {
    const keys = await this.keys();
    const current = currentOf(keys, alg, this.now());
    if (!current) throw new Error(`no active signing key for ${alg}`);
    let key = this.privateKeys.get(current.kid);
    if (!key) {
      key = this.box.open(current.privateKey).then((jwk) => this.importer(JSON.parse(jwk) as JsonWebKey, alg));
      key.catch(() => this.privateKeys.delete(current.kid));
      this.privateKeys.set(current.kid, key);
    }
    return { kid: current.kid, alg, sign: await key };
  }

  /** Public keys to publish: next, current and retired-but-still-needed keys. */
  async jwks(): Promise<{ keys: JWK[] }> {
    const now = this.now();
    const all = await this.keys();
    const keys = all.filter((k) => this.isPublished(k, all, now)).map((k) => k.publicJwk as JWK);
    // The same object while the published set is the same, so serializations can be reused.
    const kids = keys.map((k) => k.kid).join(",");
    if (this.published?.kids !== kids) this.published = { kids, set: { keys } };
    return this.published.set;
  }

  /**
   * A key resolver for jose's jwtVerify over the published keys. Kept while the published set
   * is the same, so imported public keys are reused instead of re-imported on every request.
   */
  async verificationKeys(): Promise<ReturnType<typeof createLocalJWKSet>> {
    const { keys } = await this.jwks();
    const kids = keys.map((k) => k.kid).join(",");
    if (this.verifier?.kids !== kids) this.verifier = { kids, set: createLocalJWKSet({ keys }) };
    return this.verifier.set;
  }

  /** Every stored key with its state, for the admin console and the CLI. */
  async describe(): Promise<KeyView[]> {
    const keys = await this.load();
    const now = this.now();
    return keys.map((k) => {
      const successor = successorOf(keys, k);
      const retiresAt = successor ? successor.activatesAt : null;
      const state: KeyState = k.activatesAt.getTime() > now ? "next" : retiresAt && retiresAt.getTime() <= now ? "retired" : "current";
      return {
        kid: k.kid,
        alg: k.alg,
        generation: k.generation,
        state,
        createdAt: k.createdAt,
        activatesAt: k.activatesAt,
        retiresAt,
        removedAt: retiresAt ? new Date(retiresAt.getTime() + this.settings.retiredKeyRetention * 1000) : null,
      };
    });
  }

  /**
   * Makes sure every algorithm has a current key; creates the scheduled next keys and removes
   * keys past their retention. Runs at start and whenever the cache reloads.
   */
  async maintain(): Promise<void> {
    await this.maintainLoaded(await this.load());
    this.invalidate();
  }

  /**
   * Starts a rotation now: for each algorithm a next key, published at once, signing after
   * keyActivationDelay (or at once with `immediately`, for a compromised key).
   */
  async rotate(options: { immediately?: boolean; algs?: readonly SigningAlg[] } = {}): Promise<KeyView[]> {
    const keys = await this.load();
    const now = this.now();
    for (const alg of options.algs ?? SIGNING_ALGS) {
      const chain = keys.filter((k) => k.alg === alg);
      const top = chain.reduce((m, k) => Math.max(m, k.generation), 0);
      const pendingNext = chain.find((k) => k.activatesAt.getTime() > now);
      if (pendingNext && !options.immediately) continue;
      const activatesAt = options.immediately ? now : now + this.settings.keyActivationDelay * 1000;
      await this.tryAdd(await this.createKey(alg, top + 1, new Date(activatesAt)));
    }
    this.invalidate();
    return this.describe();
  }

  private isPublished(k: SigningKeyRecord, keys: SigningKeyRecord[], now: number): boolean {
    const successor = successorOf(keys, k);
    if (!successor || successor.activatesAt.getTime() > now) return true;
    return successor.activatesAt.getTime() + this.settings.retiredKeyRetention * 1000 > now;
  }

  private async keys(): Promise<SigningKeyRecord[]> {
    const now = this.now();
    if (this.cache && now - this.cache.loadedAt < this.settings.cacheTtl * 1000) return this.cache.keys;
    if (!this.loading) {
      this.loading = (async () => {
        let keys = await this.load();
        if (await this.maintainLoaded(keys)) keys = await this.load();
        this.cache = { loadedAt: this.now(), keys };
        return keys;
      })().finally(() => {
        this.loading = null;
      });
    }
    return this.loading;
  }

  private load(): Promise<SigningKeyRecord[]> {
    return this.store.listKeys();
  }

  /** Returns true when it changed the store. */
  private async maintainLoaded(keys: SigningKeyRecord[]): Promise<boolean> {
    const now = this.now();
    let changed = false;
    const expired = keys.filter((k) => !this.isPublished(k, keys, now)).map((k) => k.kid);
    if (expired.length) {
      await this.store.removeKeys(expired);
      changed = true;
    }
    for (const alg of SIGNING_ALGS) {
      const chain = keys.filter((k) => k.alg === alg);
      const current = currentOf(keys, alg, now);
      const top = chain.reduce((m, k) => Math.max(m, k.generation), 0);
      if (!current) {
        // First key of this algorithm (or only future keys): it must sign at once.
        changed = (await this.tryAdd(await this.createKey(alg, top + 1, new Date(now)))) || changed;
        continue;
      }
      const hasNext = chain.some((k) => k.generation > current.generation);
      const dueAt = current.activatesAt.getTime() + this.settings.keyRotationPeriod * 1000;
      if (!hasNext && dueAt - this.settings.keyActivationDelay * 1000 <= now) {
        const activatesAt = new Date(Math.max(dueAt, now + this.settings.keyActivationDelay * 1000));
        changed = (await this.tryAdd(await this.createKey(alg, top + 1, activatesAt))) || changed;
      }
    }
    return changed;
  }

  private async tryAdd(key: SigningKeyRecord): Promise<boolean> {
    try {
      await this.store.addKey(key);
      return true;
    } catch (err) {
      // By name, not instanceof: a bundler may load ports.ts more than once.
      if (err instanceof Error && err.name === "KeyGenerationTaken") return false;
      throw err;
    }
  }

  private async createKey(alg: SigningAlg, generation: number, activatesAt: Date): Promise<SigningKeyRecord> {
    const { publicKey, privateKey } = await generateKeyPair(alg, {
      extractable: true,
      ...(alg === "RS256" || alg === "PS256" ? { modulusLength: 2048 } : {}),
    });
    const kid = randomHandle(12);
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg };
    return {
      kid,
      alg,
      generation,
      publicJwk,
      activatesAt,
      createdAt: new Date(this.now()),
      privateKey: await this.box.seal(JSON.stringify(privateJwk)),
    };
  }
}

function currentOf(keys: SigningKeyRecord[], alg: SigningAlg, now: number): SigningKeyRecord | undefined {
  let best: SigningKeyRecord | undefined;
  for (const k of keys) {
    if (k.alg !== alg || k.activatesAt.getTime() > now) continue;
    if (!best || k.generation > best.generation) best = k;
  }
  return best;
}

function successorOf(keys: SigningKeyRecord[], key: SigningKeyRecord): SigningKeyRecord | undefined {
  let best: SigningKeyRecord | undefined;
  for (const k of keys) {
    if (k.alg !== key.alg || k.generation <= key.generation) continue;
    if (!best || k.generation < best.generation) best = k;
  }
  return best;
}
