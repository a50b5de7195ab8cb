import { describe, expect, it } from "vitest";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { token } from "@/lib/oidc";
import { KeyManager } from "@/lib/oidc/keys";
import { SecretBox } from "@/lib/oidc/crypto";
import { addApi, addClient, basic, formRequest, SECRET, testProvider } from "../helpers/provider";

const DAY = 86400;

async function setup(settings: Record<string, number> = {}) {
  const p = await testProvider({ keyActivationDelay: 600, keyRotationPeriod: 90 * DAY, ...settings });
  await addApi(p.stores, "https://orders.example", ["orders.read"]);
  await addClient(p.stores, { clientId: "svc" });
  const issue = async () => {
    const res = await token(formRequest("/connect/token", { grant_type: "client_credentials" }, basic("svc", SECRET)), p.ctx);
    return ((await res.json()) as { access_token: string }).access_token;
  };
  const kidOf = (jwt: string) => decodeProtectedHeader(jwt).kid;
  const publishedKids = async () => (await p.ctx.keys.jwks()).keys.filter((k) => k.alg === "RS256").map((k) => k.kid);
  return { ...p, issue, kidOf, publishedKids };
}

describe("signing key rotation", () => {
  it("creates one current key per algorithm at start, private keys sealed", async () => {
    const p = await setup();
    expect(p.stores.data.keys.map((k) => k.alg).sort()).toEqual(["ES256", "EdDSA", "PS256", "RS256"]);
    for (const k of p.stores.data.keys) {
      expect(k.privateKey).toMatch(/^v1\./);
      expect(k.privateKey).not.toContain('"d"');
      expect(k.publicJwk).not.toHaveProperty("d");
    }
  });

  it("publishes the next key before it signs, then signs with it, keeping the old one published", async () => {
    const p = await setup();
    const before = await p.issue();
    const oldKid = p.kidOf(before);
    await p.ctx.keys.rotate();
    const [, nextKid] = await p.publishedKids();
    expect(await p.publishedKids()).toEqual([oldKid, nextKid]);
    expect(p.kidOf(await p.issue())).toBe(oldKid); // not yet active

    p.clock.advance(601);
    const after = await p.issue();
    expect(p.kidOf(after)).toBe(nextKid);
    const jwks = createLocalJWKSet(await p.ctx.keys.jwks());
    await expect(jwtVerify(before, jwks, { currentDate: new Date(p.clock.now) })).resolves.toBeTruthy();
    const states = Object.fromEntries((await p.ctx.keys.describe()).filter((k) => k.alg === "RS256").map((k) => [k.kid, k.state]));
    expect(states).toEqual({ [oldKid!]: "retired", [nextKid!]: "current" });
  });

  it("drops a retired key from JWKS once its tokens have expired, and deletes it", async () => {
    const p = await setup();
    const oldKid = p.kidOf(await p.issue());
    await p.ctx.keys.rotate({ immediately: true });
    p.clock.advance(DAY - 10);
    expect(await p.publishedKids()).toContain(oldKid);
    p.clock.advance(20);
    expect(await p.publishedKids()).not.toContain(oldKid);
    expect(p.stores.data.keys.some((k) => k.kid === oldKid)).toBe(false);
  });

  it("rotates by itself when the period is due, announcing the key first", async () => {
    const p = await setup();
    const oldKid = p.kidOf(await p.issue());
    p.clock.advance(90 * DAY - 900); // before the announcement window: nothing yet
    expect((await p.publishedKids()).length).toBe(1);
    p.clock.advance(600); // 300 s before due: announced now, signs a full delay (600 s) later
    expect((await p.publishedKids()).length).toBe(2);
    p.clock.advance(599);
    expect(p.kidOf(await p.issue())).toBe(oldKid);
    p.clock.advance(2);
    expect(p.kidOf(await p.issue())).not.toBe(oldKid);
  });

  it("lets only one of two instances create the next generation", async () => {
    const p = await setup();
    const box = await SecretBox.fromSecret("test-server-secret-test-server-secret", "signing-keys");
    const other = new KeyManager(p.stores.keys, box, p.ctx.settings, () => p.clock.now);
    await Promise.all([p.ctx.keys.rotate(), other.rotate()]);
    expect(p.stores.data.keys.filter((k) => k.alg === "RS256")).toHaveLength(2);
  });

  it("cannot open keys sealed under another secret", async () => {
    const p = await setup();
    const box = await SecretBox.fromSecret("a-different-secret-a-different-secret", "signing-keys");
    const stranger = new KeyManager(p.stores.keys, box, p.ctx.settings, () => p.clock.now);
    await expect(stranger.signingKey("RS256")).rejects.toThrow("wrong PORTCULLIS_SECRET");
  });
});
