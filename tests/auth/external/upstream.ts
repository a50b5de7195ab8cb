/**
 * A real OpenID provider on loopback for the tests: node-oidc-provider 9 with in-memory storage,
 * started by the starter the browser tests use too (e2e/upstream/provider.mjs). The test browser
 * opens its login page with ?account=<name> to sign in as that account (optionally &amr=pwd,otp),
 * or with ?cancel=1 to cancel, which answers access_denied to the relying party.
 */
import { startUpstreamProvider } from "../../../e2e/upstream/provider.mjs";

export interface UpstreamClient {
  client_id: string;
  client_secret?: string;
  redirect_uris: string[];
  token_endpoint_auth_method?: string;
}

export interface Upstream {
  issuer: string;
  /** token endpoint calls answered (successful or not), by client */
  tokenRequests: () => number;
  close(): Promise<void>;
}

export const LOGIN_PATH = "/test-login/";

export async function startUpstream(options: {
  clients: UpstreamClient[];
  accounts: Record<string, Record<string, unknown>>;
}): Promise<Upstream> {
  return startUpstreamProvider({
    clients: options.clients as unknown as Record<string, unknown>[],
    accounts: options.accounts,
    loginPath: LOGIN_PATH,
  });
}
