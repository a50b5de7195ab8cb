import { describe, expect, it } from "vitest";
import { exportJWK, generateKeyPair, jwtVerify } from "jose";
import { signJwt, webCryptoImporter } from "@/lib/oidc/jwt";
import { SIGNING_ALGS } from "@/lib/oidc/constants";
import { nodeCryptoImporter } from "@/lib/server/node-signer";

describe("JWT signing", () => {
  for (const alg of SIGNING_ALGS) {
    for (const [name, importer] of [
      ["WebCrypto", webCryptoImporter],
      ["node:crypto", nodeCryptoImporter],
    ] as const) {
      it(`${alg} through ${name} verifies with jose`, async () => {
        const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
        const sign = await importer({ ...(await exportJWK(privateKey)), kid: "k", alg } as JsonWebKey, alg);
        const token = await signJwt({ kid: "k", alg, sign }, { typ: "at+jwt" }, { sub: "s", n: 1 });
        const { payload, protectedHeader } = await jwtVerify(token, publicKey);
        expect(protectedHeader).toEqual({ alg, kid: "k", typ: "at+jwt" });
        expect(payload).toEqual({ sub: "s", n: 1 });
      });
    }
  }
});
