// The upstream OpenID provider of the browser tests on a fixed loopback port (provider.mjs,
// shared with the vitest suites). Environment: UPSTREAM_PORT, UPSTREAM_REDIRECT_URIS (JSON list),
// UPSTREAM_CLIENT_SECRET, UPSTREAM_ACCOUNTS (JSON: name -> claims).
import { startUpstreamProvider } from "./provider.mjs";

await startUpstreamProvider({
  port: Number(process.env.UPSTREAM_PORT),
  clients: [
    {
      client_id: "portcullis",
      client_secret: process.env.UPSTREAM_CLIENT_SECRET,
      redirect_uris: JSON.parse(process.env.UPSTREAM_REDIRECT_URIS),
    },
  ],
  accounts: JSON.parse(process.env.UPSTREAM_ACCOUNTS),
});
