import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3310);
const dataDir = `${process.env.TMPDIR ?? "/tmp"}/portcullis-e2e-${port}`;

export default defineConfig({
  testDir: "e2e",
  timeout: 30_000,
  workers: 1,
  reporter: process.env.CI ? "line" : "list",
  use: {
    baseURL: `http://localhost:${port}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  webServer: {
    command: `rm -rf ${dataDir} && node dist/server.mjs`,
    url: `http://localhost:${port}/.well-known/openid-configuration`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      PORT: String(port),
      PORTCULLIS_ISSUER: `http://localhost:${port}`,
      DATABASE_URL: `file:${dataDir}/e2e.db`,
      PORTCULLIS_DATA_DIR: dataDir,
      PORTCULLIS_SECRET: "e2e-secret-e2e-secret-e2e-secret-e2e",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
