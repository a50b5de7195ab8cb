// The one node-oidc-provider upstream of the tests: vitest (tests/auth/external/upstream.ts) and
// the browser tests (e2e/upstream/server.mjs) both start it from here. In-memory storage; its
// login step is a page of ours (as in every deployment of node-oidc-provider): ?account=<name>
// signs in as that account (optionally &amr=pwd,otp), ?cancel=1 answers access_denied; without
// a known account it shows a small form. GET /health answers "ok".
import { createServer } from "node:http";
import Provider from "oidc-provider";
import { exportJWK, generateKeyPair } from "jose";

/**
 * @param {{ port?: number, clients: Record<string, unknown>[], accounts: Record<string, Record<string, unknown>>, loginPath?: string }} options
 * port 0 (the default) picks a free port.
 */
export async function startUpstreamProvider({ port = 0, clients, accounts, loginPath = "/login/" }) {
  // Requests that arrive while the provider is still being set up wait for it: a request with no
  // listener would never be answered (the browser tests' start-up check hung on one, once).
  let serve;
  const ready = new Promise((resolve) => (serve = resolve));
  const server = createServer((req, res) => void ready.then((handle) => handle(req, res)));
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  const actual = server.address().port;
  const issuer = `http://localhost:${actual}`;
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const provider = new Provider(issuer, {
    clients: clients.map((c) => ({ grant_types: ["authorization_code"], response_types: ["code"], ...c })),
    jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: "RS256", use: "sig", kid: `up-${actual}` }] },
    cookies: { keys: [`upstream-cookie-key-${actual}-0123456789abcdef`] },
    findAccount: (_ctx, sub) => (accounts[sub] ? { accountId: sub, claims: () => ({ sub, ...accounts[sub] }) } : undefined),
    claims: {
      openid: ["sub", "amr"],
      email: ["email", "email_verified"],
      profile: ["name", "given_name", "family_name", "preferred_username", "picture", "locale"],
    },
    scopes: ["openid", "email", "profile"],
    interactions: { url: (_ctx, interaction) => `${loginPath}${interaction.uid}` },
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
  });
  let tokens = 0;
  provider.on("grant.success", () => tokens++);
  provider.on("grant.error", () => tokens++);
  const handler = provider.callback();
  const page = (body) =>
    `<!doctype html><html><head><meta charset="utf-8"><title>Upstream sign-in</title></head><body><h1>Upstream sign-in</h1>${body}</body></html>`;

  serve((req, res) => {
    const url = new URL(req.url ?? "/", issuer);
    if (url.pathname === "/health") {
      res.writeHead(200, { "content-type": "text/plain" });
      return res.end("ok");
    }
    if (!url.pathname.startsWith(loginPath)) return handler(req, res);
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
        if (!account || !accounts[account]) {
          res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
          return res.end(
            page(
              `<form method="get"><label>Account <input name="account" autocomplete="off"></label><button>Continue</button></form><a href="?cancel=1">Cancel</a>`,
            ),
          );
        }
        const grant = new provider.Grant({ accountId: account, clientId: details.params.client_id });
        grant.addOIDCScope(details.params.scope ?? "openid");
        const amr = url.searchParams.get("amr");
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId: account, ...(amr ? { amr: amr.split(",") } : {}) }, consent: { grantId: await grant.save() } },
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
    /** token endpoint calls answered (successful or not) */
    tokenRequests: () => tokens,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
