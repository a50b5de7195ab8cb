// A small relying party built only from openid-client, for the browser tests. It knows the
// issuer URL and its clients; each client signs in with code + PKCE + state + nonce.
//   GET /start/:client?prompt=..&max_age=..   begin a sign-in
//   GET /cb/:client                           finish it: code exchange, ID token checks, userinfo
//   GET /refresh/:client                      use the refresh token
//   GET /logout/:client                       RP-initiated logout with id_token_hint
//   GET /signed-out                           where logout comes back
//   GET /frontchannel/:client                 its frontchannel_logout_uri: records iss and sid
//   POST /backchannel/:client                 its backchannel_logout_uri: records the logout_token
//   GET /hits                                 what the two logout channels recorded
import { createServer } from "node:http";
import * as oidc from "openid-client";

const issuer = new URL(process.env.RP_ISSUER);
const port = Number(process.env.RP_PORT);
const base = `http://localhost:${port}`;
const clients = JSON.parse(process.env.RP_CLIENTS); // { name: { client_id, client_secret?, scope } }
const configs = new Map();
const pending = new Map();
const sessions = new Map();
const hits = { frontchannel: [], backchannel: [] };

async function config(name) {
  if (!configs.has(name)) {
    const c = clients[name];
    const auth = c.client_secret ? oidc.ClientSecretBasic(c.client_secret) : oidc.None();
    configs.set(name, await oidc.discovery(issuer, c.client_id, undefined, auth, { execute: [oidc.allowInsecureRequests] }));
  }
  return configs.get(name);
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body, null, 2));
}

createServer(async (req, res) => {
  const url = new URL(req.url, base);
  const [, action, name] = url.pathname.split("/");
  try {
    if (action === "signed-out") return send(res, 200, { signedOut: true, state: url.searchParams.get("state") });
    if (action === "hits") return send(res, 200, hits);
    if (action === "frontchannel") {
      hits.frontchannel.push({ client: name, iss: url.searchParams.get("iss"), sid: url.searchParams.get("sid") });
      return send(res, 200, { loggedOut: true }, { "cache-control": "no-store" });
    }
    if (action === "backchannel" && req.method === "POST") {
      let body = "";
      for await (const chunk of req) body += chunk;
      hits.backchannel.push({
        client: name,
        contentType: req.headers["content-type"],
        logoutToken: new URLSearchParams(body).get("logout_token"),
      });
      return send(res, 200, {}, { "cache-control": "no-store" });
    }
    if (!clients[name]) return send(res, 404, { error: "unknown client" });
    const c = await config(name);
    if (action === "start") {
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      pending.set(state, { verifier, nonce, maxAge: url.searchParams.get("max_age") });
      const params = {
        redirect_uri: `${base}/cb/${name}`,
        scope: clients[name].scope,
        state,
        nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: "S256",
      };
      for (const p of ["prompt", "max_age", "login_hint", "response_mode", "acr_values"])
        if (url.searchParams.get(p)) params[p] = url.searchParams.get(p);
      return send(res, 302, {}, { location: oidc.buildAuthorizationUrl(c, params).href });
    }
    if (action === "cb") {
      // query response mode: the URL; form_post: a POST whose body openid-client reads itself
      let input = url;
      let params = url.searchParams;
      if (req.method === "POST") {
        let body = "";
        for await (const chunk of req) body += chunk;
        params = new URLSearchParams(body);
        input = new Request(url, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" } });
      }
      const state = params.get("state");
      const p = pending.get(state);
      if (params.get("error")) return send(res, 200, { error: params.get("error"), iss: params.get("iss"), state });
      if (!p) return send(res, 400, { error: "unknown state" });
      pending.delete(state);
      const tokens = await oidc.authorizationCodeGrant(c, input, {
        pkceCodeVerifier: p.verifier,
        expectedState: state,
        expectedNonce: p.nonce,
        idTokenExpected: true,
        ...(p.maxAge ? { maxAge: Number(p.maxAge) } : {}),
      });
      const claims = tokens.claims();
      const userinfo = await oidc.fetchUserInfo(c, tokens.access_token, claims.sub);
      sessions.set(name, tokens);
      return send(res, 200, { client: name, claims, userinfo, scope: tokens.scope, hasRefreshToken: Boolean(tokens.refresh_token) });
    }
    if (action === "refresh") {
      const previous = sessions.get(name);
      const tokens = await oidc.refreshTokenGrant(c, previous.refresh_token);
      sessions.set(name, { ...previous, ...tokens, claims: previous.claims });
      const userinfo = await oidc.fetchUserInfo(c, tokens.access_token, previous.claims().sub);
      return send(res, 200, { refreshed: true, rotated: tokens.refresh_token !== previous.refresh_token, userinfo });
    }
    if (action === "logout") {
      const tokens = sessions.get(name);
      const target = oidc.buildEndSessionUrl(c, {
        id_token_hint: tokens.id_token,
        post_logout_redirect_uri: `${base}/signed-out`,
        state: "bye",
      });
      return send(res, 302, {}, { location: target.href });
    }
    send(res, 404, { error: "not found" });
  } catch (err) {
    send(res, 500, { error: err.error ?? err.code ?? "error", message: err.message, description: err.error_description });
  }
}).listen(port, "127.0.0.1", () => console.log(`rp ready on ${base}`));
