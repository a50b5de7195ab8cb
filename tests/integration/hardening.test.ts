/** Security headers, forged forms and forged error pages, on the built server through both serving paths. */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/databases";
import { serverModes, startServer, type RunningServer } from "../helpers/server";
import { pageSecurityHeaders, protocolSecurityHeaders } from "@/lib/oidc/security-headers";

const BASE_HEADERS = ["x-content-type-options", "x-frame-options", "referrer-policy", "permissions-policy", "content-security-policy"];

describe("security headers module", () => {
  it("adds HSTS only for an https issuer and never allows inline scripts on pages", () => {
    expect(pageSecurityHeaders("https://id.example", "n0nce")["Strict-Transport-Security"]).toBe("max-age=31536000; includeSubDomains");
    expect(protocolSecurityHeaders("https://id.example")["Strict-Transport-Security"]).toBe("max-age=31536000; includeSubDomains");
    expect(pageSecurityHeaders("http://localhost:3000", "n0nce")["Strict-Transport-Security"]).toBeUndefined();
    const scriptSrc = pageSecurityHeaders("https://id.example", "n0nce")
      ["Content-Security-Policy"]!.split("; ")
      .find((d) => d.startsWith("script-src"));
    expect(scriptSrc).toBe("script-src 'self' 'nonce-n0nce' 'strict-dynamic'");
  });
});

for (const mode of serverModes) {
  describe(`on the ${mode} server`, () => {
    let database: TestDatabase;
    let server: RunningServer;
    beforeAll(async () => {
      database = await createTestDatabase("sqlite");
      server = await startServer({ mode, databaseUrl: database.url });
    });
    afterAll(async () => {
      await server?.stop();
      await database?.drop();
    });

    it("sends the same security headers on pages and protocol endpoints; pages get a fresh script nonce", async () => {
      const pages = [await fetch(`${server.issuer}/`), await fetch(`${server.issuer}/interaction/error?error=invalid_request`)];
      for (const res of pages) {
        for (const h of BASE_HEADERS) expect(res.headers.get(h), h).toBeTruthy();
        const csp = res.headers.get("content-security-policy")!;
        expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
        expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
        const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
        const html = await res.text();
        expect(html).toContain(`nonce="${nonce}"`);
        // every script tag carries the nonce
        expect([...html.matchAll(/<script\b[^>]*>/g)].every((m) => m[0].includes(`nonce="${nonce}"`))).toBe(true);
      }
      expect(pages[0]!.headers.get("content-security-policy")).not.toBe(pages[1]!.headers.get("content-security-policy"));
      const protocol = [
        await fetch(`${server.issuer}/.well-known/openid-configuration`),
        await fetch(`${server.issuer}/.well-known/jwks.json`),
        await fetch(`${server.issuer}/connect/token`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: "grant_type=x",
        }),
        await fetch(`${server.issuer}/connect/authorize?client_id=nobody`, { redirect: "manual" }),
      ];
      for (const res of protocol) {
        for (const h of BASE_HEADERS) expect(res.headers.get(h), `${res.url} ${h}`).toBeTruthy();
        expect(res.headers.get("content-security-policy")).toBe(
          "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        );
        expect(res.headers.get("strict-transport-security")).toBeNull(); // http issuer
      }
    });

    it("sends the headers on everything else Next serves: 404s, static assets, redirects", async () => {
      const home = await (await fetch(`${server.issuer}/`)).text();
      const asset = /\/_next\/static\/[^"]+\.js/.exec(home)![0];
      for (const path of ["/connect/nope", "/.well-known/nope", asset, "/favicon.ico", "/connect/token/"]) {
        const res = await fetch(`${server.issuer}${path}`, { redirect: "manual" });
        for (const h of BASE_HEADERS) expect(res.headers.get(h), `${path} ${h}`).toBeTruthy();
      }
    });

    it("answers malformed router state and action arguments with 400, and a host mismatch with 403, never Next's 500", async () => {
      // The production server checks the router state before Next (which answers 500 and hides the header from proxy.ts).
      if (mode === "fast") {
        const tree = await fetch(`${server.issuer}/account?_rsc`, {
          headers: { rsc: "1", "next-router-state-tree": "garbage" },
          redirect: "manual",
        });
        expect(tree.status).toBe(400);
      }
      const action = await fetch(`${server.issuer}/account`, {
        method: "POST",
        headers: {
          "next-action": "0123456789abcdef0123456789abcdef01234567",
          "content-type": "text/plain;charset=UTF-8",
          origin: server.issuer,
        },
        body: "{{{",
      });
      expect(action.status).toBe(400);
      const host = new URL(server.issuer).host;
      // fetch cannot set Host: a raw request can.
      const post = (headers: Record<string, string>) =>
        new Promise<number>((resolve, reject) => {
          const r = request(
            `${server.issuer}/account`,
            { method: "POST", headers: { ...headers, "content-type": "application/x-www-form-urlencoded" } },
            (res) => {
              res.resume();
              resolve(res.statusCode!);
            },
          );
          r.on("error", reject);
          r.end("login=a&password=b");
        });
      for (const headers of [
        { origin: server.issuer, host: `127.0.0.1:${new URL(server.issuer).port}` },
        { origin: server.issuer, host, "x-forwarded-host": "evil.example" },
      ] as Record<string, string>[]) {
        expect(await post(headers), JSON.stringify(headers)).toBe(403);
      }
    });

    it("answers a login or consent form posted from another site with a 403 page, not a 500", async () => {
      for (const path of ["/interaction/login?interaction=x", "/interaction/consent?interaction=x", "/account"]) {
        for (const extra of [{}, { "next-action": "0123456789abcdef0123456789abcdef01234567" }] as Record<string, string>[]) {
          for (const origin of ["https://evil.example", "null"]) {
            const res = await fetch(`${server.issuer}${path}`, {
              method: "POST",
              redirect: "manual",
              headers: { origin, "content-type": "application/x-www-form-urlencoded", ...extra },
              body: "login=alice&password=x",
            });
            expect(res.status, `${path} ${origin}`).toBe(403);
            expect(await res.text()).toContain("This form was sent from another site");
            expect(res.headers.get("x-frame-options")).toBe("DENY");
          }
        }
      }
    });

    it("answers the client router's RSC fetch of a protocol navigation without running the endpoint", async () => {
      // As Next's router sends it: the RSC header and its _rsc cache-busting parameter (empty without router-state headers).
      for (const path of [
        "/connect/authorize?client_id=nobody&_rsc",
        "/connect/authorize/resume?interaction=x&_rsc",
        "/connect/endsession?_rsc",
      ]) {
        const res = await fetch(`${server.issuer}${path}`, { headers: { rsc: "1" }, redirect: "manual" });
        expect(res.status, path).toBe(200);
        expect(await res.text()).toBe("navigate");
        expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      }
      // the real navigation runs the endpoint
      expect((await fetch(`${server.issuer}/connect/authorize?client_id=nobody`, { redirect: "manual" })).status).toBe(303);
    });

    it("shows an error description only when the server signed it", async () => {
      const forged = "Your account is suspended. Call +1 555 0100.";
      const res = await fetch(
        `${server.issuer}/interaction/error?${new URLSearchParams({ error: "access_denied", error_description: forged, sig: "AAAA" })}`,
      );
      const html = await res.text();
      expect(html).toContain("Access was denied.");
      expect(html).not.toContain('data-testid="error-description"');
      const real = await fetch(`${server.issuer}/connect/authorize?client_id=nobody`, { redirect: "manual" });
      const page = await (await fetch(real.headers.get("location")!)).text();
      expect(page).toContain("The application is not registered here, or it has been disabled.");
      expect(page).toMatch(
        /data-testid="error-description">Details for the application&#x27;s developers: (<!-- -->)?unknown or disabled client</,
      );
    });
  });
}
