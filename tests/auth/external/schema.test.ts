/** The one description of a provider (config file, API, console), presets as configuration, and the effective settings. */
import { describe, expect, it } from "vitest";
import { customFetch } from "@auth/core";
import { identityProviderInput, identityProviderPatch } from "@/lib/schemas/identity-provider";
import { applyPatch, callbackUrl, resolveProvider, toProviderData, toProviderView } from "@/lib/auth/external/settings";
import { github, gitlab, google, microsoftEntraId, presets } from "@/lib/auth/external/presets";
import { authProvider } from "@/lib/auth/external/auth-providers";
import type { ProviderEntry } from "@/lib/auth/external/directory";
import type { IdentityProviderRecord } from "@/lib/auth/external/ports";

const issues = (input: unknown) => {
  const r = identityProviderInput.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

const base = { id: "corp", display_name: "Corp SSO", client_id: "portcullis" };

function record(overrides: Partial<IdentityProviderRecord>): IdentityProviderRecord {
  return {
    id: "corp",
    displayName: "Corp",
    type: "oidc",
    issuer: null,
    authorizationEndpoint: null,
    tokenEndpoint: null,
    userinfoEndpoint: null,
    tenant: null,
    clientId: "portcullis",
    clientSecret: "s3cret",
    scope: null,
    enabled: true,
    claims: {},
    trustEmail: false,
    firstLogin: "create_or_link",
    emailDomains: [],
    createdAt: new Date("2026-01-01T00:00:00Z"),
    updatedAt: new Date("2026-01-02T00:00:00Z"),
    ...overrides,
  };
}

const entry = (r: IdentityProviderRecord): ProviderEntry => ({
  provider: resolveProvider(r),
  fetch: async () => new Response(),
  discovery: async () => ({}),
  keys: async () => {
    throw new Error("unused");
  },
});

describe("identity provider schema", () => {
  it("accepts an oidc provider by its issuer and fills the defaults", () => {
    const parsed = identityProviderInput.parse({
      ...base,
      type: "oidc",
      issuer: "https://sso.corp.example",
      client_secret: "x",
      email_domains: ["Corp.Example"],
    });
    expect(parsed).toEqual({
      ...base,
      type: "oidc",
      issuer: "https://sso.corp.example",
      client_secret: "x",
      enabled: true,
      claims: {},
      trust_email: false,
      first_login: "create_or_link",
      email_domains: ["corp.example"],
    });
  });

  it("says in plain words what is wrong", () => {
    expect(issues({ ...base, type: "oidc" })).toEqual([
      "issuer: an oidc provider needs its issuer (its discovery document is read from there)",
    ]);
    expect(issues({ ...base, type: "oidc", issuer: "https://a.example", token_endpoint: "https://a.example/token" })).toEqual([
      "token_endpoint: an oidc provider finds its endpoints by discovery: give only the issuer",
    ]);
    expect(issues({ ...base, type: "oauth2", authorization_endpoint: "https://a.example/auth" })).toEqual([
      "token_endpoint: an oauth2 provider needs its authorization, token and userinfo endpoints",
      "userinfo_endpoint: an oauth2 provider needs its authorization, token and userinfo endpoints",
    ]);
    expect(issues({ ...base, id: "Corp SSO", type: "google" })).toEqual([
      "id: must be 1 to 63 lowercase letters, digits, - or _, starting with a letter or digit",
    ]);
    expect(issues({ ...base, type: "saml" })).toEqual(["type: must be one of oidc, oauth2, github, google, microsoft-entra-id, gitlab"]);
    expect(issues({ ...base, type: "oidc", issuer: "http://sso.corp.example" })).toEqual([
      "issuer: must be an https URL (http only on localhost), without a fragment or credentials",
    ]);
    expect(issues({ ...base, type: "google", tenant: "common" })).toEqual(["tenant: tenant is only for microsoft-entra-id"]);
    expect(issues({ ...base, type: "microsoft-entra-id", tenant: "contoso.com" })).toEqual([
      "tenant: must be common, organizations, consumers or the tenant id (a GUID)",
    ]);
    expect(issues({ ...base, type: "google", first_login: "always" })).toEqual(["first_login: must be create, link or create_or_link"]);
    expect(issues({ ...base, type: "google", email_domains: ["not a domain"] })).toEqual([
      "email_domains.0: must be a domain name such as example.com",
    ]);
    expect(issues({ ...base, type: "google", scope: "" })).toEqual(["scope: must be space-separated scope names"]);
    expect(issues({ ...base, type: "google", callback_url: "https://x" })).toEqual([': Unrecognized key: "callback_url"']);
  });

  it("allows http issuers only on loopback hosts", () => {
    expect(issues({ ...base, type: "oidc", issuer: "http://localhost:4000" })).toEqual([]);
    expect(issues({ ...base, type: "oidc", issuer: "http://127.0.0.1:4000" })).toEqual([]);
  });

  it("applies a patch and checks the merged result; the secret is kept, replaced or removed", () => {
    const current = record({ type: "oidc", issuer: "https://sso.corp.example" });
    expect(applyPatch(current, identityProviderPatch.parse({ enabled: false }))).toEqual({
      ok: true,
      data: expect.objectContaining({ enabled: false, issuer: "https://sso.corp.example" }),
    });
    const kept = applyPatch(current, identityProviderPatch.parse({ display_name: "New" }));
    expect(kept.ok && "clientSecret" in kept.data).toBe(false);
    expect(applyPatch(current, identityProviderPatch.parse({ client_secret: null }))).toEqual({
      ok: true,
      data: expect.objectContaining({ clientSecret: null }),
    });
    expect(applyPatch(current, identityProviderPatch.parse({ type: "oauth2" }))).toEqual({
      ok: false,
      issues: [
        { path: "authorization_endpoint", message: "an oauth2 provider needs its authorization, token and userinfo endpoints" },
        { path: "token_endpoint", message: "an oauth2 provider needs its authorization, token and userinfo endpoints" },
        { path: "userinfo_endpoint", message: "an oauth2 provider needs its authorization, token and userinfo endpoints" },
      ],
    });
    expect(identityProviderPatch.safeParse({ id: "other" }).success).toBe(false);
  });

  it("shows the callback URL, never the secret", () => {
    const view = toProviderView(record({ type: "google", clientSecret: "s3cret" }), "https://id.example");
    expect(view).toEqual({
      id: "corp",
      display_name: "Corp",
      type: "google",
      client_id: "portcullis",
      enabled: true,
      claims: {},
      trust_email: false,
      first_login: "create_or_link",
      email_domains: [],
      callback_url: "https://id.example/interaction/external/callback/corp",
      created_at: "2026-01-01T00:00:00.000Z",
      updated_at: "2026-01-02T00:00:00.000Z",
    });
    expect(JSON.stringify(view)).not.toContain("s3cret");
    expect(callbackUrl("https://id.example", "github")).toBe("https://id.example/interaction/external/callback/github");
  });

  it("round-trips a description through the stored form", () => {
    const input = identityProviderInput.parse({
      ...base,
      type: "oauth2",
      authorization_endpoint: "https://a.example/auth",
      token_endpoint: "https://a.example/token",
      userinfo_endpoint: "https://a.example/me",
      claims: { sub: "id" },
      scope: "read:user",
    });
    const data = toProviderData(input);
    const {
      callback_url: _c,
      created_at: _a,
      updated_at: _u,
      ...wire
    } = toProviderView({ ...data, createdAt: new Date(), updatedAt: new Date() }, "https://id.example");
    expect(identityProviderInput.parse(wire)).toEqual({ ...input, client_secret: undefined });
  });
});

describe("presets, as configuration", () => {
  it("github: OAuth 2.0 endpoints from @auth/core's preset, email from /user/emails", () => {
    expect(github()).toEqual({
      preset: "github",
      kind: "oauth2",
      displayName: "GitHub",
      icon: "github",
      issuer: "https://github.com/login/oauth",
      endpoints: {
        authorization: "https://github.com/login/oauth/authorize",
        token: "https://github.com/login/oauth/access_token",
        userinfo: "https://api.github.com/user",
      },
      scope: "read:user user:email",
      claims: {
        sub: "id",
        email: "email",
        email_verified: "email_verified",
        preferred_username: "login",
        name: "name",
        picture: "avatar_url",
        profile: "html_url",
      },
      multiTenant: false,
    });
  });

  it("google: OpenID Connect discovery at accounts.google.com", () => {
    expect(google()).toMatchObject({
      kind: "oidc",
      issuer: "https://accounts.google.com",
      endpoints: null,
      scope: "openid email profile",
      icon: "google",
    });
    expect(google().claims).toMatchObject({
      sub: "sub",
      email: "email",
      email_verified: "email_verified",
      name: "name",
      picture: "picture",
    });
  });

  it("microsoft-entra-id: the tenant is in the issuer; its email is never taken as verified", () => {
    expect(microsoftEntraId({ tenant: "0b3b1b8e-1111-2222-3333-444455556666" })).toMatchObject({
      kind: "oidc",
      issuer: "https://login.microsoftonline.com/0b3b1b8e-1111-2222-3333-444455556666/v2.0",
      scope: "openid profile email",
      multiTenant: false,
      icon: "microsoft",
    });
    expect(microsoftEntraId()).toMatchObject({ issuer: "https://login.microsoftonline.com/common/v2.0", multiTenant: true });
    expect(microsoftEntraId().claims.email_verified).toBeUndefined();
  });

  it("gitlab: OpenID Connect at gitlab.com or a self-managed base URL", () => {
    expect(gitlab()).toMatchObject({ kind: "oidc", issuer: "https://gitlab.com", scope: "openid profile email", icon: "gitlab" });
    expect(gitlab().claims).toMatchObject({ preferred_username: "nickname", email_verified: "email_verified" });
    expect(gitlab({ baseUrl: "https://git.corp.example/gitlab/" }).issuer).toBe("https://git.corp.example/gitlab");
    expect(Object.keys(presets)).toEqual(["github", "google", "microsoft-entra-id", "gitlab"]);
  });

  it("resolves a stored preset: defaults under what was configured", () => {
    const p = resolveProvider(record({ type: "github", scope: "read:user", claims: { name: "login", company: "company" } }));
    expect(p).toMatchObject({
      kind: "oauth2",
      preset: "github",
      icon: "github",
      scope: "read:user",
      issuer: "https://github.com/login/oauth",
    });
    expect(p.claims).toMatchObject({ sub: "id", name: "login", company: "company", picture: "avatar_url" });
    const enterprise = resolveProvider(
      record({
        type: "github",
        issuer: "https://ghe.corp.example/login/oauth",
        authorizationEndpoint: "https://ghe.corp.example/login/oauth/authorize",
        tokenEndpoint: "https://ghe.corp.example/login/oauth/access_token",
        userinfoEndpoint: "https://ghe.corp.example/api/v3/user",
      }),
    );
    expect(enterprise.endpoints).toEqual({
      authorization: "https://ghe.corp.example/login/oauth/authorize",
      token: "https://ghe.corp.example/login/oauth/access_token",
      userinfo: "https://ghe.corp.example/api/v3/user",
    });
    expect(resolveProvider(record({ type: "microsoft-entra-id", tenant: "organizations" }))).toMatchObject({
      issuer: "https://login.microsoftonline.com/organizations/v2.0",
      multiTenant: true,
    });
    expect(resolveProvider(record({ type: "gitlab", issuer: "https://git.corp.example" })).issuer).toBe("https://git.corp.example");
  });

  it("builds the Auth.js provider: checks, scope, endpoints and our bounded fetch", () => {
    const oidc = authProvider(entry(record({ type: "oidc", issuer: "https://sso.corp.example" })));
    expect(oidc).toMatchObject({
      id: "corp",
      type: "oidc",
      issuer: "https://sso.corp.example",
      checks: ["pkce", "state", "nonce"],
      idToken: false,
      authorization: { params: { scope: "openid email profile" } },
      clientSecret: "s3cret",
      client: { token_endpoint_auth_method: "client_secret_basic" },
    });
    expect(typeof (oidc as unknown as Record<symbol, unknown>)[customFetch]).toBe("function");
    const gh = authProvider(entry(record({ type: "github", clientSecret: null })));
    expect(gh).toMatchObject({
      type: "oauth",
      checks: ["pkce", "state"],
      issuer: "https://github.com/login/oauth",
      client: { token_endpoint_auth_method: "none" },
      authorization: { url: "https://github.com/login/oauth/authorize", params: { scope: "read:user user:email" } },
      token: { url: "https://github.com/login/oauth/access_token" },
      userinfo: { url: "https://api.github.com/user" },
    });
    expect("clientSecret" in gh).toBe(false);
    const entra = authProvider(entry(record({ type: "microsoft-entra-id", tenant: "common" })));
    expect(entra).toMatchObject({
      id: "corp",
      type: "oidc",
      issuer: "https://login.microsoftonline.com/common/v2.0",
      authorization: { params: { scope: "openid profile email" } },
    });
  });
});
