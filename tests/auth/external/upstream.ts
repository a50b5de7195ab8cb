/**
 * A real OpenID provider on loopback for the tests: node-oidc-provider 9 with in-memory storage.
 * Its login step is a page of ours (as every real deployment of node-oidc-provider has): the test
 * browser opens it with ?account=<name> to sign in as that account (optionally &amr=pwd,otp), or
 * with ?cancel=1 to cancel, which answers access_denied to the relying party.
 */
import { createServer, type Server } from "node:http";
import Provider from "oidc-provider";
import { exportJWK, generateKeyPair } from "jose";

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
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const issuer = `http://localhost:${port}`;
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const provider = new Provider(issuer, {
    clients: options.clients.map((c) => ({ grant_types: ["authorization_code"], response_types: ["code"], ...c })),
    jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: "RS256", use: "sig", kid: `up-${port}` }] },
    cookies: { keys: [`upstream-cookie-key-${port}-0123456789abcdef`] },
    findAccount: (_ctx: unknown, sub: string) =>
      options.accounts[sub] ? { accountId: sub, claims: () => ({ sub, ...options.accounts[sub] }) } : undefined,
    claims: {
      openid: ["sub", "amr"],
      email: ["email", "email_verified"],
      profile: ["name", "given_name", "family_name", "preferred_username", "picture", "locale"],
    },
    scopes: ["openid", "email", "profile"],
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `${LOGIN_PATH}${interaction.uid}` },
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
  });
  let tokens = 0;
  provider.on("grant.success", () => {
    tokens++;
  });
  provider.on("grant.error", () => {
    tokens++;
  });
  const handler = provider.callback();
  server.on("request", (req, res) => {
    const url = new URL(req.url ?? "/", issuer);
    if (!url.pathname.startsWith(LOGIN_PATH)) return handler(req, res);
    void (async () => {
      try {
        const details = await provider.interactionDetails(req, res);
        if (url.searchParams.get("cancel")) {
          return await provider.interactionFinished(
            req,
            res,
            { error: "access_denied", error_description: "End-User cancelled the sign-in" },
            { mergeWithLastSubmission: false },
          );
        }
        const account = url.searchParams.get("account");
        if (!account) {
          res.writeHead(200, { "content-type": "text/html" });
          return res.end(`<form method="get"><input name="account"><button>Sign in</button></form>`);
        }
        const grant = new provider.Grant({ accountId: account, clientId: details.params.client_id! });
        grant.addOIDCScope(details.params.scope ?? "openid");
        const amr = url.searchParams.get("amr");
        await provider.interactionFinished(
          req,
          res,
          {
            login: { accountId: account, ...(amr ? { amr: amr.split(",") } : {}) },
            consent: { grantId: await grant.save() },
          },
          { mergeWithLastSubmission: false },
        );
      } catch (err) {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end(String(err));
      }
    })();
  });
  return {
    issuer,
    tokenRequests: () => tokens,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
