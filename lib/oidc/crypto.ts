/** Hashes, random handles and at-rest encryption, on WebCrypto only. */

const encoder = new TextEncoder();

export function base64url(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** A random handle with `bytes` bytes of entropy, base64url encoded. */
export function randomHandle(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

export type Sha256 = (text: string) => string | Promise<string>;

/**
 * SHA-256 of the UTF-8 text, base64url, on WebCrypto. A server may give the provider a
 * synchronous one instead (ProviderOptions.sha256, node:crypto): WebCrypto's digest runs on the
 * thread pool, which costs more than the hash itself on the hot path. Results are identical.
 */
export const sha256: Sha256 = async (text) => base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text))));

const SECRET_PREFIX = "sha256:";

/**
 * Hash of a high-entropy generated secret (client and API secrets). A fast hash suits values
 * with 256 bits of entropy; user passwords use the slow hash in lib/auth/password.ts.
 */
export async function hashSecret(secret: string, hash: Sha256 = sha256): Promise<string> {
  return SECRET_PREFIX + (await hash(secret));
}

/** Compares a presented secret with a stored hash in constant time. */
export async function verifySecret(secret: string, storedHash: string, hash: Sha256 = sha256): Promise<boolean> {
  if (!storedHash.startsWith(SECRET_PREFIX)) return false;
  return timingSafeEqual(await hashSecret(secret, hash), storedHash);
}

export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** AES-256-GCM with a key derived (HKDF-SHA-256) from the server secret for one purpose. */
export class SecretBox {
  private constructor(private readonly key: CryptoKey) {}

  static async fromSecret(secret: string, purpose: string): Promise<SecretBox> {
    const material = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveKey"]);
    const key = await crypto.subtle.deriveKey(
      { name: "HKDF", hash: "SHA-256", salt: encoder.encode("portcullis"), info: encoder.encode(purpose) },
      material,
      { name: "AES-GCM", length: 256 },
      false,
      ["encrypt", "decrypt"],
    );
    return new SecretBox(key);
  }

  async seal(plaintext: string): Promise<string> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, this.key, encoder.encode(plaintext));
    return `v1.${base64url(iv)}.${base64url(new Uint8Array(ct))}`;
  }

  async open(sealed: string): Promise<string> {
    const [version, iv, ct] = sealed.split(".");
    if (version !== "v1" || !iv || !ct) throw new Error("sealed value has an unknown format");
    try {
      const pt = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64url(iv) }, this.key, fromBase64url(ct));
      return new TextDecoder().decode(pt);
    } catch {
      throw new Error("sealed value cannot be opened: wrong PORTCULLIS_SECRET or corrupted data");
    }
  }
}

/** HMAC-SHA-256 with a key derived from the server secret for one purpose. */
export async function createSigner(secret: string, purpose: string): Promise<(value: string) => Promise<string>> {
  const material = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveKey"]);
  const key = await crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: encoder.encode("portcullis"), info: encoder.encode(purpose) },
    material,
    { name: "HMAC", hash: "SHA-256", length: 256 },
    false,
    ["sign"],
  );
  return async (value) => base64url(new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(value))));
}
