/**
 * DPoP proofs (RFC 9449 4.3), checked at the token endpoint and at the resources this server
 * serves itself (userinfo).
 *
 * Rules:
 * - exactly one `DPoP` header, a compact JWS of at most 8 KiB (a second header arrives joined by a comma);
 * - JOSE header: typ dpop+jwt; alg one of DPOP_SIGNING_ALGS (asymmetric only: never none or HMAC),
 *   narrower for a client whose profile restricts algorithms; jwk a public key (no private members);
 * - the signature verifies under that jwk;
 * - claims jti (a string of at most 256 characters), htm, htu and iat are present;
 * - htm is the request's method; htu, without query and fragment and normalised, is the endpoint's
 *   own URL under the issuer (never built from Host headers);
 * - iat is at most settings.dpopProofMaxAge old and at most settings.clockSkew ahead (injected clock);
 * - nonce, when settings.dpopRequireNonce: one this server gave out in the current or previous
 *   window (stateless, an HMAC of the window: valid on every instance), else use_dpop_nonce with a
 *   fresh DPoP-Nonce header;
 * - ath, at a resource: base64url(SHA-256(access token));
 * - jti is used once per key while the proof could be accepted: insert-if-absent in the replay
 *   store, decided by the database, after every other rule passed;
 * - errors: invalid_dpop_proof or use_dpop_nonce, 400 at the token endpoint and 401 at a
 *   resource (RFC 9449 5 and 7.1).
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.3
 */
import { decodeProtectedHeader, errors as joseErrors, importJWK, jwtVerify, type CryptoKey, type JWK, type KeyObject } from "jose";
import { DPOP_HEADER, DPOP_JWT_TYPE, DPOP_NONCE_HEADER, DPOP_SIGNING_ALGS, ErrorCode } from "../constants";
import type { ProviderContext } from "../context";
import { OAuthError } from "../errors";

const MAX_PROOF_LENGTH = 8 * 1024;
const MAX_JTI_LENGTH = 256;
/** Seconds a server nonce window lasts; a nonce is accepted in its window and the next. */
export const DPOP_NONCE_WINDOW = 300;
const PRIVATE_JWK_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
const JWS_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** A verified proof: the thumbprint of its key (RFC 7638), the `cnf.jkt` of what it binds. */
export interface VerifiedDpopProof {
  jkt: string;
}

export interface DpopExpectation {
  /** the endpoint's URL as this server names it (ctx.urls.*) */
  url: string;
  /** "token": the authorization server's token endpoint; "resource": a protected resource */
  at: "token" | "resource";
  /** the access token presented with the proof (resources): ath must be its hash */
  accessToken?: string;
  /** the algorithms this client may use, when narrower than DPOP_SIGNING_ALGS */
  algorithms?: readonly string[];
}

/** The DPoP header's value; undefined when absent; invalid_dpop_proof when repeated or oversized. */
export function dpopHeaderOf(req: Request, at: DpopExpectation["at"]): string | undefined {
  const value = req.headers.get(DPOP_HEADER);
  if (value === null) return undefined;
  if (value.includes(",")) throw dpopError(at, "DPoP header must only be provided once");
  if (value.length > MAX_PROOF_LENGTH || !JWS_SHAPE.test(value.trim())) throw dpopError(at, "invalid DPoP proof");
  return value.trim();
}

/**
 * Verifies the request's DPoP proof by the rules above.
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.3
 */
export async function verifyDpopProof(
  ctx: ProviderContext,
  req: Request,
  proof: string,
  expect: DpopExpectation,
): Promise<VerifiedDpopProof> {
  const fail = (description: string, detail?: string) => dpopError(expect.at, description, detail);
  const algorithms = expect.algorithms ?? DPOP_SIGNING_ALGS;
  let header;
  try {
    header = decodeProtectedHeader(proof);
  } catch {
    throw fail("invalid DPoP proof");
  }
  if (header.typ !== DPOP_JWT_TYPE) throw fail(`DPoP proof typ must be ${DPOP_JWT_TYPE}`);
  if (typeof header.alg !== "string" || !algorithms.includes(header.alg)) throw fail("DPoP proof alg is not supported");
  const jwk = header.jwk as JWK | undefined;
  if (!jwk || typeof jwk !== "object" || Array.isArray(jwk)) throw fail("DPoP proof must carry its public key in jwk");
  if (PRIVATE_JWK_MEMBERS.some((m) => m in jwk)) throw fail("DPoP proof jwk must be a public key");
  const jkt = await jwkThumbprint(ctx, jwk);
  if (!jkt) throw fail("DPoP proof jwk is not a supported public key");

  let payload;
  try {
    ({ payload } = await jwtVerify(proof, await publicKey(jwk, header.alg, jkt, fail), {
      typ: DPOP_JWT_TYPE,
      algorithms: [...algorithms],
      requiredClaims: ["iat", "jti", "htm", "htu"],
      currentDate: new Date(ctx.now()),
      clockTolerance: ctx.settings.clockSkew,
    }));
  } catch (err) {
    throw fail("invalid DPoP proof", err instanceof joseErrors.JOSEError ? err.message : "verification failed");
  }
  const { jti, htm, htu, iat, nonce, ath } = payload as Record<string, unknown>;
  if (typeof jti !== "string" || jti.length === 0 || jti.length > MAX_JTI_LENGTH) throw fail("DPoP proof jti is invalid");
  if (htm !== req.method) throw fail("DPoP proof htm mismatch");
  if (typeof htu !== "string" || normalizedHtu(htu) !== normalizedHtu(expect.url)) throw fail("DPoP proof htu mismatch");
  const now = ctx.now() / 1000;
  const issuedAt = iat as number;
  if (issuedAt > now + ctx.settings.clockSkew) throw fail("DPoP proof iat is in the future");
  if (now - issuedAt > ctx.settings.dpopProofMaxAge) throw fail("DPoP proof iat is too old");

  if (ctx.settings.dpopRequireNonce && !(typeof nonce === "string" && (await nonceIsCurrent(ctx, nonce)))) {
    throw new OAuthError(
      ErrorCode.useDpopNonce,
      nonce === undefined ? "nonce is required in the DPoP proof" : "DPoP proof nonce is invalid",
      {
        status: expect.at === "token" ? 400 : 401,
        headers: { [DPOP_NONCE_HEADER]: await dpopNonce(ctx) },
      },
    );
  }
  if (expect.accessToken !== undefined) {
    if (typeof ath !== "string") throw fail("DPoP proof ath is missing");
    if (ath !== (await ctx.sha256(expect.accessToken))) throw fail("DPoP proof ath mismatch");
  }

  const fresh = await ctx.stores.replay.useOnce(
    `dpop:${await ctx.sha256(`${jkt}:${jti}`)}`,
    new Date((issuedAt + ctx.settings.dpopProofMaxAge + ctx.settings.clockSkew) * 1000),
  );
  if (!fresh) throw fail("DPoP proof has already been used");
  return { jkt };
}

/** RFC 7638 required members per key type, in the lexicographic order the thumbprint hashes them. */
const THUMBPRINT_MEMBERS: Record<string, readonly string[]> = {
  EC: ["crv", "kty", "x", "y"],
  RSA: ["e", "kty", "n"],
  OKP: ["crv", "kty", "x"],
};

/**
 * The JWK's SHA-256 thumbprint (RFC 7638), on the provider's own SHA-256 (synchronous on the
 * server); null for a key type or member that cannot be one.
 * @see https://www.rfc-editor.org/rfc/rfc7638#section-3
 */
async function jwkThumbprint(ctx: ProviderContext, jwk: JWK): Promise<string | null> {
  const members = THUMBPRINT_MEMBERS[jwk.kty ?? ""];
  if (!members) return null;
  const picked: Record<string, string> = {};
  for (const m of members) {
    const v = (jwk as Record<string, unknown>)[m];
    if (typeof v !== "string" || v.length === 0 || v.length > 2048) return null;
    picked[m] = v;
  }
  return ctx.sha256(JSON.stringify(picked));
}

/**
 * Imported proof keys by alg and thumbprint: a client signs many proofs with one key, and an
 * import costs more than the verification. Bounded; cleared whole when full. A cache of public
 * keys only: nothing is decided from it.
 */
const importedKeys = new Map<string, CryptoKey | KeyObject>();
const MAX_IMPORTED_KEYS = 1000;

async function publicKey(jwk: JWK, alg: string, jkt: string, fail: (description: string) => OAuthError): Promise<CryptoKey | KeyObject> {
  const id = `${alg}:${jkt}`;
  const known = importedKeys.get(id);
  if (known) return known;
  // Only the key's own members: nothing else of the header reaches the import.
  const members = Object.fromEntries(THUMBPRINT_MEMBERS[jwk.kty!]!.map((m) => [m, (jwk as Record<string, unknown>)[m]]));
  let key: CryptoKey | KeyObject | Uint8Array;
  try {
    key = await importJWK(members as JWK, alg);
  } catch {
    throw fail("invalid DPoP proof");
  }
  if (key instanceof Uint8Array) throw fail("DPoP proof jwk must be a public key");
  if (importedKeys.size >= MAX_IMPORTED_KEYS) importedKeys.clear();
  importedKeys.set(id, key);
  return key;
}

/** The nonce of the current window (RFC 9449 8): the same on every instance, nothing stored. */
export async function dpopNonce(ctx: ProviderContext, window = nonceWindow(ctx)): Promise<string> {
  return ctx.sign(`dpop-nonce:${window}`);
}

async function nonceIsCurrent(ctx: ProviderContext, nonce: string): Promise<boolean> {
  const window = nonceWindow(ctx);
  return nonce === (await dpopNonce(ctx, window)) || nonce === (await dpopNonce(ctx, window - 1));
}

const nonceWindow = (ctx: ProviderContext) => Math.floor(ctx.now() / 1000 / DPOP_NONCE_WINDOW);

/** RFC 9449 4.3 item 9: the URI without query and fragment, normalised (RFC 3986 6.2.2, 6.2.3). */
function normalizedHtu(value: string): string | null {
  if (!URL.canParse(value)) return null;
  const url = new URL(value);
  url.search = "";
  url.hash = "";
  return url.href;
}

/** invalid_dpop_proof with the status of where it was checked. */
export function dpopError(at: DpopExpectation["at"], description: string, detail?: string): OAuthError {
  return new OAuthError(ErrorCode.invalidDpopProof, description, { status: at === "token" ? 400 : 401, detail });
}
