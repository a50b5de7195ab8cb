import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { token } from "@/lib/oidc";
import { JWT_BEARER_ASSERTION_TYPE } from "@/lib/oidc/constants";
import { addApi, addClient, formRequest, ISSUER, testProvider, type TestProvider } from "../helpers/provider";

let p: TestProvider;
let privateKey: CryptoKey;
let publicJwk: JWK;

beforeAll(async () => {
  const pair = await generateKeyPair("ES256");
  privateKey = pair.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: "k1" };
});

beforeEach(async () => {
  p = await testProvider();
  await addApi(p.stores, "https://orders.example", ["orders.read"]);
  await addClient(p.stores, {
    clientId: "jwt-client",
    tokenEndpointAuthMethod: "private_key_jwt",
    jwks: { keys: [publicJwk as Record<string, unknown>] },
    secrets: [],
  });
});

function assertion(claims: Record<string, unknown> = {}, key: CryptoKey = privateKey) {
  const now = p.clock.now / 1000;
  return new SignJWT({ jti: crypto.randomUUID(), ...claims })
    .setProtectedHeader({ alg: "ES256", kid: "k1" })
    .setIssuer((claims.iss as string) ?? "jwt-client")
    .setSubject((claims.sub as string) ?? "jwt-client")
    .setAudience((claims.aud as string | string[]) ?? ISSUER)
    .setIssuedAt(now)
    .setExpirationTime((claims.exp as number) ?? now + 60)
    .sign(key);
}

async function call(clientAssertion: string, extra: Record<string, string> = {}) {
  const res = await token(
    formRequest("/connect/token", {
      grant_type: "client_credentials",
      client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
      client_assertion: clientAssertion,
      ...extra,
    }),
    p.ctx,
  );
  return { res, body: (await res.json()) as Record<string, unknown> };
}

describe("private_key_jwt (RFC 7523)", () => {
  it("authenticates with an assertion whose aud is the issuer identifier", async () => {
    expect((await call(await assertion())).res.status).toBe(200);
    expect((await call(await assertion(), { client_id: "jwt-client" })).res.status).toBe(200);
  });

  it("refuses an endpoint URL or an array as aud (audience injection, OpenID Foundation 2025 advisory)", async () => {
    for (const aud of [`${ISSUER}/connect/token`, `${ISSUER}/connect/introspect`, [ISSUER, "https://other.example"], [ISSUER]]) {
      const { res, body } = await call(await assertion({ aud }));
      expect(res.status).toBe(401);
      expect(body).toEqual({ error: "invalid_client", error_description: "invalid client_assertion" });
    }
  });

  it("accepts only the client's token_endpoint_auth_signing_alg when it registered one", async () => {
    p.stores.data.clients.get("jwt-client")!.tokenEndpointAuthSigningAlg = "PS256";
    const { res, body } = await call(await assertion());
    expect(res.status).toBe(401);
    expect(body).toEqual({ error: "invalid_client", error_description: "invalid client_assertion" });
    p.stores.data.clients.get("jwt-client")!.tokenEndpointAuthSigningAlg = "ES256";
    expect((await call(await assertion())).res.status).toBe(200);
  });

  it("refuses a second use of the same jti", async () => {
    const a = await assertion({ jti: "once" });
    expect((await call(a)).res.status).toBe(200);
    const again = await call(a);
    expect(again.res.status).toBe(401);
    expect(again.body).toEqual({ error: "invalid_client", error_description: "client assertion tokens must only be used once" });
  });

  it("refuses a wrong audience, an expired assertion, a foreign key, a missing jti", async () => {
    const other = await generateKeyPair("ES256");
    const cases = [
      await assertion({ aud: "https://elsewhere.example" }),
      await assertion({ exp: p.clock.now / 1000 - 120 }),
      await assertion({}, other.privateKey),
      await new SignJWT({})
        .setProtectedHeader({ alg: "ES256", kid: "k1" })
        .setIssuer("jwt-client")
        .setSubject("jwt-client")
        .setAudience(ISSUER)
        .setExpirationTime(p.clock.now / 1000 + 60)
        .sign(privateKey),
    ];
    for (const a of cases) {
      const { res, body } = await call(a);
      expect(res.status).toBe(401);
      expect(body).toEqual({ error: "invalid_client", error_description: "invalid client_assertion" });
    }
  });

  it("refuses an assertion whose iss is not its sub", async () => {
    const { body } = await call(await assertion({ iss: "someone-else" }));
    expect(body).toEqual({ error: "invalid_client", error_description: "invalid client_assertion" });
  });

  it("refuses an exp more than an hour ahead", async () => {
    const { body } = await call(await assertion({ exp: p.clock.now / 1000 + 7200 }));
    expect(body).toEqual({ error: "invalid_client", error_description: "client_assertion exp is too far in the future" });
  });

  it("answers invalid_request for a wrong assertion type and a client_id that is not the sub", async () => {
    const wrongType = await token(
      formRequest("/connect/token", {
        grant_type: "client_credentials",
        client_assertion_type: "urn:x",
        client_assertion: await assertion(),
      }),
      p.ctx,
    );
    expect(await wrongType.json()).toEqual({
      error: "invalid_request",
      error_description: `client_assertion_type must be ${JWT_BEARER_ASSERTION_TYPE}`,
    });
    const { body } = await call(await assertion(), { client_id: "other" });
    expect(body).toEqual({ error: "invalid_request", error_description: "client_id does not match the client authentication" });
  });

  it("answers invalid_client for garbage instead of a JWT", async () => {
    const { res, body } = await call("not-a-jwt");
    expect(res.status).toBe(401);
    expect(body).toEqual({ error: "invalid_client", error_description: "client_assertion is not a valid JWT with a sub claim" });
  });
});
