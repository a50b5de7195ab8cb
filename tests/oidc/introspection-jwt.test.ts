/**
 * JWT introspection responses (RFC 9701): openid-client asks for them (introspection_signed_response_alg)
 * and checks the signature; an API resource gets one signed with its own algorithm.
 */
import { beforeEach, describe, expect, it } from "vitest";
import * as oidc from "openid-client";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { introspect, token } from "@/lib/oidc";
import { addApi, addClient, basic, formRequest, ISSUER, SECRET, testProvider, type TestProvider } from "../helpers/provider";
import { fetchInProcess } from "../helpers/in-process-rp";

const API_SECRET = "api-secret-api-secret-api-secret-api-secret";
const JWT_MEDIA = "application/token-introspection+jwt";
let p: TestProvider;

async function issue(clientId = "svc") {
  const res = await token(
    formRequest("/connect/token", { grant_type: "client_credentials", scope: "orders.read" }, basic(clientId, SECRET)),
    p.ctx,
  );
  return ((await res.json()) as { access_token: string }).access_token;
}

beforeEach(async () => {
  p = await testProvider();
  p.clock.now = Date.now(); // openid-client checks iat against the real clock
  await addApi(p.stores, "https://orders.example", ["orders.read"], { signingAlg: "ES256" }, API_SECRET);
  await addClient(p.stores, { clientId: "svc", allowedScopes: ["orders.read"] });
});

describe("JWT introspection responses (RFC 9701)", () => {
  it("answers openid-client's signed request, which verifies the JWT against the JWKS", async () => {
    const config = await oidc.discovery(
      new URL(ISSUER),
      "svc",
      { introspection_signed_response_alg: "RS256" },
      oidc.ClientSecretBasic(SECRET),
      {
        [oidc.customFetch]: fetchInProcess(() => p),
        execute: [oidc.enableNonRepudiationChecks],
      },
    );
    expect(config.serverMetadata().introspection_signing_alg_values_supported).toEqual(["RS256", "PS256", "ES256", "EdDSA"]);
    const result = await oidc.tokenIntrospection(config, await issue());
    expect(result).toMatchObject({ active: true, client_id: "svc", scope: "orders.read", token_type: "Bearer" });
  });

  it("signs for an API resource with its algorithm, typ token-introspection+jwt, aud the caller; inactive inside too", async () => {
    const ask = (t: string) =>
      introspect(
        formRequest("/connect/introspect", { token: t }, { ...basic("https://orders.example", API_SECRET), accept: JWT_MEDIA }),
        p.ctx,
      );
    const res = await ask(await issue());
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(JWT_MEDIA);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const jwt = await res.text();
    expect(decodeProtectedHeader(jwt)).toMatchObject({ typ: "token-introspection+jwt", alg: "ES256" });
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(await p.ctx.keys.jwks()), {
      issuer: ISSUER,
      audience: "https://orders.example",
      typ: "token-introspection+jwt",
      currentDate: new Date(p.clock.now),
    });
    expect(payload.jti).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(payload.token_introspection).toMatchObject({ active: true, aud: "https://orders.example", client_id: "svc" });

    const inactive = await jwtVerify(await (await ask("unknown")).text(), createLocalJWKSet(await p.ctx.keys.jwks()), {
      currentDate: new Date(p.clock.now),
    });
    expect(inactive.payload.token_introspection).toEqual({ active: false });
  });

  it("keeps plain JSON without the media type, and JSON errors with it", async () => {
    const plain = await introspect(
      formRequest("/connect/introspect", { token: await issue() }, { ...basic("svc", SECRET), accept: "application/json" }),
      p.ctx,
    );
    expect(plain.headers.get("content-type")).toContain("application/json");
    const bad = await introspect(
      formRequest("/connect/introspect", { token: "x" }, { ...basic("svc", "wrong-secret-wrong-secret-wrong"), accept: JWT_MEDIA }),
      p.ctx,
    );
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ error: "invalid_client" });
  });
});
