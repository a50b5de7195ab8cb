import { hashSecret } from "@/lib/oidc/crypto";
import { CLIENT_DEFAULTS } from "../helpers/provider";
import { createMemoryStores } from "@/lib/stores/memory";
import { storeSuite } from "./store-suite";

storeSuite("memory", async () => {
  const stores = createMemoryStores();
  return {
    stores,
    async addClientAndApi() {
      stores.data.clients.set("suite-client", {
        clientId: "suite-client",
        clientName: "Suite",
        enabled: true,
        tokenEndpointAuthMethod: "client_secret_basic",
        grantTypes: ["client_credentials"],
        responseTypes: [],
        redirectUris: [],
        postLogoutRedirectUris: [],
        allowedScopes: ["suite.read"],
        jwks: null,
        accessTokenFormat: "jwt",
        accessTokenLifetime: 3600,
        ...CLIENT_DEFAULTS,
        secrets: [{ hash: await hashSecret("x".repeat(32)), expiresAt: null }],
      });
      stores.data.apiResources.push({
        name: "https://suite.example",
        enabled: true,
        signingAlg: "RS256",
        secrets: [],
        scopes: [
          { name: "suite.read", enabled: true },
          { name: "suite.write", enabled: true },
        ],
      });
    },
  };
});
