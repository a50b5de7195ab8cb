// A real upstream OpenID provider for the browser tests: node-oidc-provider with in-memory
// storage on a fixed loopback port. Its login step is a page of ours (as in every deployment of
// node-oidc-provider): a form asking for the account name, or a "Cancel" link that answers
// access_denied. Environment: UPSTREAM_PORT, UPSTREAM_REDIRECT_URIS (JSON list),
// UPSTREAM_CLIENT_SECRET, UPSTREAM_ACCOUNTS (JSON: name -> claims).
import { createServer } from "node:http";
import Provider from "oidc-provider";
import { exportJWK, generateKeyPair } from "jose";

const port = Number(process.env.UPSTREAM_PORT);
const issuer = `http://localhost:${port}`;
const accounts = JSON.parse(process.env.UPSTREAM_ACCOUNTS);
const LOGIN_PATH = "/login/";

const { privateKey } = await generateKeyPair("RS256", { extractable: true });
const provider = new Provider(issuer, {
  clients: [
    {
      client_id: "portcullis",
      client_secret: process.env.UPSTREAM_CLIENT_SECRET,
      redirect_uris: JSON.parse(process.env.UPSTREAM_REDIRECT_URIS),
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: "RS256", use: "sig", kid: "e2e-upstream" }] },
  cookies: { keys: ["e2e-upstream-cookie-key-0123456789abcdef"] },
  findAccount: (_ctx, sub) => (accounts[sub] ? { accountId: sub, claims: () => ({ sub, ...accounts[sub] }) } : undefined),
  claims: {
    openid: ["sub", "amr"],
    email: ["email", "email_verified"],
    profile: ["name", "given_name", "family_name", "preferred_username"],
  },
  scopes: ["openid", "email", "profile"],
  interactions: { url: (_ctx, interaction) => `${LOGIN_PATH}${interaction.uid}` },
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => true },
  ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
});
const handler = provider.callback();

const page = (body) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>Upstream sign-in</title></head><body><h1>Upstream sign-in</h1>${body}</body></html>`;

createServer((req, res) => {
  const url = new URL(req.url ?? "/", issuer);
  if (url.pathname === "/health") {
    res.writeHead(200, { "content-type": "text/plain" });
    return res.end("ok");
  }
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
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: account }, consent: { grantId: await grant.save() } },
        { mergeWithLastSubmission: false },
      );
    } catch (err) {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(err));
    }
  })();
}).listen(port, "127.0.0.1");
