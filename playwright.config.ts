import { defineConfig } from "@playwright/test";

const port = 3310;
const rpPort = 3311;
const upstreamPort = 3312;
const dataDir = `${process.env.TMPDIR ?? "/tmp"}/portcullis-e2e-${port}`;
export const issuer = `http://localhost:${port}`;
export const rp = `http://localhost:${rpPort}`;
/** the upstream OpenID provider of e2e/external-sign-in.spec.ts (node-oidc-provider) */
export const upstream = `http://localhost:${upstreamPort}`;
export const UPSTREAM_CLIENT_SECRET = "e2e-upstream-client-secret-0123456789";
// "partner" is added in the console by e2e/admin-identity-providers.spec.ts.
export const UPSTREAM_PROVIDERS = ["upstream", "hidden", "partner", "trusted"];
export const e2eDatabaseUrl = `file:${dataDir}/e2e.db`;
export const e2eSecret = "e2e-secret-e2e-secret-e2e-secret-e2e";

export default defineConfig({
  testDir: "e2e",
  // Generous limits only catch hangs: on a loaded 2-core machine pages and servers answer slowly.
  timeout: 90_000,
  expect: { timeout: 15_000 },
  workers: 1,
  reporter: process.env.CI ? "line" : "list",
  use: {
    baseURL: issuer,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  // Start-up limits only catch a server that never comes up: on a loaded 2-core machine the three
  // servers start side by side with the build's leftovers and took more than 30 s once.
  webServer: [
    {
      command: `rm -rf ${dataDir} && node dist/server.mjs`,
      url: `${issuer}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 180_000,
      env: {
        PORT: String(port),
        PORTCULLIS_ISSUER: issuer,
        DATABASE_URL: e2eDatabaseUrl,
        PORTCULLIS_DATA_DIR: dataDir,
        PORTCULLIS_SECRET: e2eSecret,
        PORTCULLIS_IMPORT: "e2e/fixtures/portcullis.json",
        // the loopback SMTP server of e2e/smtp.ts, started by the specs that read mail
        PORTCULLIS_SMTP_URL: "smtp://127.0.0.1:3325",
        // Every spec signs in from 127.0.0.1: the suite makes more sign-ins and codes a minute than
        // the default 30 per address (the failure throttle that sign-in-throttle.spec.ts tests is separate).
        PORTCULLIS_RATE_LIMIT_LOGIN_IP: "600",
        // rp-channels' back-channel logout URI is the relying party on localhost (e2e/logout-channels.spec.ts)
        PORTCULLIS_ALLOW_PRIVATE_LOGOUT_URIS: "true",
        PORTCULLIS_LOGOUT_DELIVERY_INTERVAL: "1",
        NEXT_TELEMETRY_DISABLED: "1",
      },
    },
    {
      command: "node e2e/rp/server.mjs",
      url: `${rp}/signed-out`,
      reuseExistingServer: false,
      timeout: 180_000,
      env: {
        RP_ISSUER: issuer,
        RP_PORT: String(rpPort),
        RP_CLIENTS: JSON.stringify({
          public: { client_id: "rp-public", scope: "openid profile email offline_access demo.read" },
          web: { client_id: "rp-web", client_secret: "rp-web-secret-rp-web-secret-rp-web-secret", scope: "openid profile email" },
          console: { client_id: "console-spa", scope: "openid profile" },
          channels: { client_id: "rp-channels", client_secret: "rp-channels-secret-rp-channels-secret-1", scope: "openid profile" },
          bank: { client_id: "rp-bank", client_secret: "rp-bank-secret-rp-bank-secret-rp-bank-secret", scope: "openid profile" },
        }),
      },
    },
    {
      command: "node e2e/upstream/server.mjs",
      url: `${upstream}/health`,
      reuseExistingServer: false,
      timeout: 180_000,
      env: {
        UPSTREAM_PORT: String(upstreamPort),
        UPSTREAM_CLIENT_SECRET,
        UPSTREAM_REDIRECT_URIS: JSON.stringify(UPSTREAM_PROVIDERS.map((id) => `${issuer}/interaction/external/callback/${id}`)),
        UPSTREAM_ACCOUNTS: JSON.stringify({
          eve: { email: "eve@upstream.test", email_verified: true, name: "Eve Upstream", preferred_username: "eve" },
          dora: { email: "dora@example.com", email_verified: true, name: "Dora Upstream", preferred_username: "dora-up" },
          carol: { email: "carol@corp.test", email_verified: true, name: "Carol Corp", preferred_username: "carol" },
          // linked to the local user lena from /account (e2e/account.spec.ts): another email than hers
          "lena-up": { email: "lena.elsewhere@upstream.test", email_verified: true, name: "Lena Upstream" },
          frank: { email: "frank@corp.test", email_verified: true, name: "Frank Corp", preferred_username: "frank" },
          // the local user tess's verified email: linked silently through the provider "trusted" (trust_email)
          "tess-up": { email: "tess@example.com", email_verified: true, name: "Tess Upstream", preferred_username: "tess-up" },
        }),
      },
    },
  ],
});
