/**
 * The identity provider check against a real OpenID provider (node-oidc-provider on loopback),
 * against documents that are wrong in each way the check names, and against nothing at all.
 */
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkProvider, discoveryUrl, type CheckedProvider } from "@/lib/auth/external/check";
import { createBoundedFetch } from "@/lib/auth/external/fetch";
import { startUpstream, type Upstream } from "./upstream";

let up: Upstream;
/** a server answering each path with what `routes` says (or 404); one that never answers at /hang */
let fake: { server: Server; origin: string; routes: Map<string, { type: string; body: string }> };
let closedPort: number;

beforeAll(async () => {
  up = await startUpstream({
    clients: [{ client_id: "portcullis", client_secret: "s".repeat(32), redirect_uris: ["http://x.test/cb"] }],
    accounts: {},
  });
  const routes = new Map<string, { type: string; body: string }>();
  const server = createServer((req, res) => {
    if (req.url === "/hang/.well-known/openid-configuration") return; // never answers
    const r = routes.get(req.url ?? "");
    if (!r) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": r.type }).end(r.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake = { server, origin: `http://127.0.0.1:${(server.address() as { port: number }).port}`, routes };
  // A port that was just free: nothing listens there.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  closedPort = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
});
afterAll(async () => {
  await up?.close();
  await new Promise((resolve) => fake?.server.close(resolve));
});

const bounded = (timeoutMs = 30_000) => createBoundedFetch({ timeoutMs, maxBytes: 64 * 1024 });
const oidc = (issuer: string, extra: Partial<CheckedProvider> = {}): CheckedProvider => ({
  kind: "oidc",
  issuer,
  endpoints: null,
  scope: "openid email profile",
  multiTenant: false,
  clientSecret: "secret",
  ...extra,
});
const levels = (r: { findings: { level: string; message: string }[] }, level: string) =>
  r.findings.filter((f) => f.level === level).map((f) => f.message);

/** Serves a discovery document at {fake}/{name} naming that issuer, with `fields` over a good one. */
function serve(name: string, fields: Record<string, unknown>): string {
  const issuer = `${fake.origin}/${name}`;
  const doc = {
    issuer,
    authorization_endpoint: `${issuer}/auth`,
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/jwks`,
    response_types_supported: ["code"],
    code_challenge_methods_supported: ["S256"],
    scopes_supported: ["openid", "email", "profile"],
    ...fields,
  };
  fake.routes.set(`/${name}/.well-known/openid-configuration`, { type: "application/json", body: JSON.stringify(doc) });
  fake.routes.set(`/${name}/jwks`, { type: "application/json", body: JSON.stringify({ keys: [{ kty: "oct" }, { kty: "oct" }] }) });
  return issuer;
}

describe("checking an OpenID provider", () => {
  it("passes a real node-oidc-provider and counts its keys", async () => {
    const r = await checkProvider(oidc(up.issuer), bounded());
    expect(levels(r, "error")).toEqual([]);
    expect(r.ok).toBe(true);
    expect(levels(r, "ok")).toEqual([
      `The discovery document at ${up.issuer}/.well-known/openid-configuration was read.`,
      `It names the issuer ${up.issuer} exactly.`,
      `Authorization endpoint ${up.issuer}/auth, token endpoint ${up.issuer}/token.`,
      "It supports the authorization code flow (response type code).",
      "It advertises PKCE with S256.",
      "It lists all the scopes asked for (openid email profile).",
      `The key set at ${up.issuer}/jwks has 1 key.`,
    ]);
    expect(levels(r, "warning")).toEqual([]);
  });

  it("refuses an issuer that differs from the document's, if only by a trailing slash", async () => {
    const r = await checkProvider(oidc(`${up.issuer}/`), bounded());
    expect(r.ok).toBe(false);
    expect(levels(r, "error")).toEqual([
      `It names the issuer ${up.issuer}, but the configured issuer is ${up.issuer}/: they must be equal exactly (check the trailing slash).`,
    ]);
  });

  it("says so when nothing listens at the issuer", async () => {
    const issuer = `http://127.0.0.1:${closedPort}`;
    const r = await checkProvider(oidc(issuer), bounded());
    expect(r.ok).toBe(false);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.level).toBe("error");
    expect(r.findings[0]!.message).toMatch(
      new RegExp(
        `^The discovery document at ${discoveryUrl(issuer).replaceAll(".", "\\.")} could not be read: unreachable \\(127\\.0\\.0\\.1:${closedPort} did not answer`,
      ),
    );
  });

  it("gives up on an issuer that never answers within the timeout", async () => {
    const r = await checkProvider(oidc(`${fake.origin}/hang`), bounded(300));
    expect(r.ok).toBe(false);
    expect(r.findings[0]!.message).toContain("did not answer: timed out");
  });

  it("says a document is missing, not JSON, or not an object", async () => {
    expect(levels(await checkProvider(oidc(`${fake.origin}/absent`), bounded()), "error")).toEqual([
      `The discovery document at ${fake.origin}/absent/.well-known/openid-configuration answered HTTP 404, not 200`,
    ]);
    fake.routes.set("/html/.well-known/openid-configuration", { type: "text/html", body: "<html>sign in</html>" });
    expect(levels(await checkProvider(oidc(`${fake.origin}/html`), bounded()), "error")).toEqual([
      `The discovery document at ${fake.origin}/html/.well-known/openid-configuration is not JSON`,
    ]);
    fake.routes.set("/list/.well-known/openid-configuration", { type: "application/json", body: "[1,2]" });
    expect(levels(await checkProvider(oidc(`${fake.origin}/list`), bounded()), "error")).toEqual([
      `The discovery document at ${fake.origin}/list/.well-known/openid-configuration is JSON but not an object.`,
    ]);
  });

  it("names each missing endpoint and an unsupported response type", async () => {
    const issuer = serve("bare", {
      authorization_endpoint: undefined,
      token_endpoint: "not a url",
      jwks_uri: undefined,
      response_types_supported: ["id_token"],
    });
    const r = await checkProvider(oidc(issuer), bounded());
    expect(r.ok).toBe(false);
    expect(levels(r, "error")).toEqual([
      "It has no authorization endpoint: authorization_endpoint is missing or not a URL.",
      "It has no token endpoint: token_endpoint is missing or not a URL.",
      "It has no key set (jwks_uri): jwks_uri is missing or not a URL.",
      "It does not support the response type code (only id_token).",
    ]);
  });

  it("warns about PKCE not advertised and scopes not listed, but passes", async () => {
    const issuer = serve("lax", { code_challenge_methods_supported: ["plain"], scopes_supported: ["openid"] });
    const r = await checkProvider(oidc(issuer, { scope: "openid email profile groups" }), bounded());
    expect(r.ok).toBe(true);
    expect(levels(r, "warning")).toEqual([
      "It does not advertise PKCE with S256 (only plain); Portcullis sends it anyway.",
      "It does not list the scopes email, profile, groups that Portcullis asks for.",
    ]);
    expect(levels(r, "ok")).toContain(`The key set at ${issuer}/jwks has 2 keys.`);
  });

  it("fails on an empty or unreadable key set", async () => {
    const issuer = serve("nokeys", {});
    fake.routes.set("/nokeys/jwks", { type: "application/json", body: JSON.stringify({ keys: [] }) });
    expect(levels(await checkProvider(oidc(issuer), bounded()), "error")).toEqual([
      `The key set at ${issuer}/jwks is empty: no ID token could be verified.`,
    ]);
    const gone = serve("gonekeys", {});
    fake.routes.delete("/gonekeys/jwks");
    expect(levels(await checkProvider(oidc(gone), bounded()), "error")).toEqual([`The key set at ${gone}/jwks answered HTTP 404, not 200`]);
  });

  it("explains a multi-tenant issuer template instead of failing it", async () => {
    const issuer = serve("common", { issuer: `${fake.origin}/{tenantid}/v2.0` });
    const r = await checkProvider(oidc(issuer, { multiTenant: true }), bounded());
    expect(r.ok).toBe(true);
    expect(levels(r, "info")).toEqual([
      `It names the issuer template ${fake.origin}/{tenantid}/v2.0: each user's own tenant issues their ID token (multi-tenant).`,
    ]);
  });

  it("mentions a public client", async () => {
    const r = await checkProvider(oidc(up.issuer, { clientSecret: null }), bounded());
    expect(levels(r, "info")).toEqual(["No client secret is set: the provider must accept a public client (PKCE only)."]);
  });
});

describe("checking an OAuth 2.0 provider", () => {
  it("checks that each endpoint answers, and says that is all it can check", async () => {
    const r = await checkProvider(
      {
        kind: "oauth2",
        issuer: null,
        scope: "user",
        multiTenant: false,
        clientSecret: "secret",
        endpoints: { authorization: `${up.issuer}/auth`, token: `${up.issuer}/token`, userinfo: `http://127.0.0.1:${closedPort}/user` },
      },
      bounded(),
    );
    expect(r.ok).toBe(false);
    expect(levels(r, "ok")).toHaveLength(2);
    expect(levels(r, "ok")[0]).toMatch(/^The authorization endpoint http:\/\/localhost:\d+\/auth answers \(HTTP \d{3}\)\.$/);
    expect(levels(r, "error")).toHaveLength(1);
    expect(levels(r, "error")[0]).toMatch(/^The userinfo endpoint http:\/\/127\.0\.0\.1:\d+\/user could not be reached: unreachable/);
    expect(levels(r, "info")).toEqual([
      "An OAuth 2.0 provider has no discovery document: beyond reaching its endpoints, only a real sign-in tests it.",
    ]);
  });
});
