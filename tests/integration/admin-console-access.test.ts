/**
 * The console's pages give nothing away to anyone but an admin: not to a signed-out visitor, not
 * to a signed-in user without the admin role, whether the request is a plain GET or a client-side
 * navigation (RSC: 1 with a Next-Router-State-Tree saying the admin layout is already rendered,
 * so only the page segment runs), and not in the body of a redirect or an error page.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/databases";
import { serverModes, startServer, type RunningServer } from "../helpers/server";
import { Browser } from "../helpers/browser";
import { createDb } from "@/lib/db";

const CLIENT = "hidden-client-7f3";
const API = "https://hidden-api.example";
const config = {
  api_resources: [{ name: API, display_name: "Hidden API Nine", scopes: [{ name: "hidden.scope.read" }] }],
  clients: [
    {
      client_id: CLIENT,
      client_name: "Hidden Client Seven",
      client_secret: "hidden-client-secret-hidden-client-secret",
      scope: "hidden.scope.read",
    },
  ],
  // Disabled, so the login page (open to anyone) does not name it.
  identity_providers: [
    {
      id: "hidden-idp-4k",
      display_name: "Hidden Provider Four",
      type: "oidc",
      issuer: "https://hidden-idp.example",
      client_id: "hidden-idp-client-5x",
      enabled: false,
      email_domains: ["hidden-domain.example"],
    },
  ],
  users: [
    { username: "root", password: "root-password-123", roles: ["admin"], claims: { name: "Root Admin" } },
    { username: "alice", email: "alice@example.com", password: "alice-password-123" },
    { username: "zed-victim", email: "zed.victim@example.com", password: "zed-password-123", claims: { name: "Zed Victim" } },
  ],
};

/** Every page under app/admin, with a parameter where the page has one. */
const PAGES = [
  "/admin",
  "/admin/clients",
  `/admin/clients/${CLIENT}`,
  "/admin/clients/new",
  "/admin/clients/new?kind=spa",
  "/admin/api-resources",
  `/admin/api-resources/${encodeURIComponent(API)}`,
  "/admin/api-resources/new",
  "/admin/users",
  "/admin/users/zed-victim",
  "/admin/users/new",
  "/admin/identity-providers",
  "/admin/identity-providers/hidden-idp-4k",
  "/admin/identity-providers/new",
  "/admin/identity-providers/new?type=oidc",
  "/admin/sessions",
  "/admin/keys",
  "/admin/audit",
  "/admin/outbox",
  "/admin/outbox/outbox-marker-55",
];

/** The state tree of a client that shows `/admin/<at>`: the root and admin layouts are rendered. */
const stateTree = (at: string) =>
  encodeURIComponent(JSON.stringify(["", { children: ["admin", { children: [at, { children: ["__PAGE__", {}] }] }] }]));
/** Headers of a client-side navigation from another admin page: only the new page segment renders. */
const navigationFrom = (path: string) => ({
  RSC: "1",
  "Next-Router-State-Tree": stateTree(path.startsWith("/admin/keys") ? "audit" : "keys"),
});

describe.each(serverModes)("the admin console on the %s server", (mode) => {
  let database: TestDatabase;
  let server: RunningServer;
  let root: Browser;
  let alice: Browser;
  /** Values only an admin may see, each on at least one page. */
  let secrets: string[];

  beforeAll(async () => {
    database = await createTestDatabase("sqlite");
    server = await startServer({ mode, databaseUrl: database.url, config });
    // A kept message (nothing in the portal sends mail yet): written straight to the database.
    const db = createDb(database.url);
    await db.outboxMessage.create({
      data: {
        id: "outbox-marker-55",
        recipient: "zed.victim@example.com",
        subject: "Outbox marker 4471",
        purpose: "password_reset",
        text: "Reset: https://example.test/reset?token=outbox-token-8812",
        html: "<p>outbox-token-8812</p>",
      },
    });
    await db.$disconnect();
    root = new Browser(server.issuer);
    await root.signIn("root", "root-password-123");
    alice = new Browser(server.issuer);
    await alice.signIn("alice", "alice-password-123");
    // An audit entry and a session id only the admin may see.
    const overview = await root.visit("/admin");
    const apiCsrf = /name="portcullis-api-csrf" content="([^"]+)"/.exec(overview.body)![1]!;
    const created = await root.request("/api/admin/v1/clients", {
      method: "POST",
      headers: { "content-type": "application/json", "x-csrf-token": apiCsrf },
      body: JSON.stringify({ client_id: "audit-marker-client-91", client_name: "Audit marker", portcullis: { kind: "machine" } }),
    });
    expect(created.status).toBe(201);
    const sessions = JSON.parse((await root.request("/api/admin/v1/sessions")).body) as { items: { id: string }[] };
    const jwks = (await (await fetch(`${server.issuer}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
    secrets = [
      CLIENT,
      "Hidden Client Seven",
      "Hidden API Nine",
      "hidden.scope.read",
      "zed-victim",
      "zed.victim@example.com",
      "Zed Victim",
      "audit-marker-client-91",
      "admin.client_created",
      "Hidden Provider Four",
      "hidden-idp-client-5x",
      "hidden-domain.example",
      sessions.items[0]!.id,
      jwks.keys[0]!.kid,
      "Outbox marker 4471",
      "outbox-token-8812",
    ];
    expect(sessions.items.length).toBe(2);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  /** The protected values in a body, less those the request's own URL names. */
  const leaked = (body: string, path = "") => secrets.filter((s) => body.includes(s) && !decodeURIComponent(path).includes(s));

  /** A navigation request; Next first answers with a redirect that adds its cache-busting _rsc parameter. */
  async function navigate(browser: Browser, path: string) {
    const headers = navigationFrom(path);
    const first = await browser.request(path, { headers });
    expect(leaked(first.body, path)).toEqual([]);
    if (first.status === 307 && first.location?.includes("_rsc=")) return browser.request(first.location, { headers });
    return first;
  }

  it("shows an admin the values this test looks for (the control)", async () => {
    const seen = new Set<string>();
    for (const path of PAGES) {
      const page = await root.request(path);
      expect(page.status, path).toBe(200);
      expect(page.body, path).toContain("Signed in as");
      for (const s of secrets) if (page.body.includes(s)) seen.add(s);
      const nav = await navigate(root, path);
      expect(nav.status, path).toBe(200);
      expect(nav.headers.get("content-type")).toBe("text/x-component");
      // The navigation renders the page segment only: no admin header in it.
      expect(nav.body, path).not.toContain("Signed in as");
    }
    expect([...seen].sort()).toEqual([...secrets].sort());
    // The page segment alone carries the data: this is what a layout check cannot stop.
    expect((await navigate(root, "/admin/users")).body).toContain("zed.victim@example.com");
  });

  it("sends a signed-out visitor to sign in, with nothing of the page in the redirect", async () => {
    const visitor = new Browser(server.issuer);
    for (const path of PAGES) {
      const page = await visitor.request(path);
      expect(page.status, path).toBe(307);
      expect(page.location, path).toBe(`/account?${new URLSearchParams({ next: path })}`);
      expect(leaked(page.body, path), path).toEqual([]);
    }
  });

  it("gives a signed-out client-side navigation nothing", async () => {
    const visitor = new Browser(server.issuer);
    for (const path of PAGES) {
      const page = await navigate(visitor, path);
      expect(leaked(page.body, path), path).toEqual([]);
      expect(page.body, path).toContain("/account?next=");
    }
  });

  it("answers a signed-in user without the admin role with the 403 page only", async () => {
    for (const path of [...PAGES, "/admin/clients/no-such-client", "/admin/users/no-such-user", "/admin/identity-providers/no-such-idp"]) {
      const page = await alice.request(path);
      expect(page.status, path).toBe(403);
      expect(page.body, path).toContain("Access denied");
      expect(leaked(page.body, path), path).toEqual([]);
      const nav = await navigate(alice, path);
      expect(leaked(nav.body, path), path).toEqual([]);
      expect(nav.body, path).not.toContain("Page 1 of");
    }
  });

  it("shows an admin a 404 page without other data for an unknown entry", async () => {
    for (const path of [
      "/admin/clients/no-such-client",
      "/admin/users/no-such-user",
      `/admin/api-resources/${encodeURIComponent("https://none.example")}`,
      "/admin/identity-providers/no-such-idp",
    ]) {
      const page = await root.request(path);
      expect(page.status, path).toBe(404);
      expect(leaked(page.body, path), path).toEqual([]);
    }
  });

  it("refuses the admin API to the same visitors", async () => {
    const visitor = new Browser(server.issuer);
    expect((await visitor.request("/api/admin/v1/users")).status).toBe(401);
    const denied = await alice.request("/api/admin/v1/users");
    expect(denied.status).toBe(403);
    expect(JSON.parse(denied.body)).toEqual({ error: { code: "forbidden", message: "the admin role is required" } });
    // The check makes the server call out: only for admins.
    const check = "/api/admin/v1/identity-providers/hidden-idp-4k/check";
    expect((await visitor.request(check, { method: "POST" })).status).toBe(401);
    const refused = await alice.request(check, { method: "POST" });
    expect(refused.status).toBe(403);
    expect(refused.body).not.toContain("discovery");
  });
});
