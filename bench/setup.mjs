// What both servers are configured with, and how a benchmark signs a user in over plain HTTP.
/** RFC 8628: the device polling endpoint of the benchmark */
export const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

export const BENCH = {
  secret: "bench-secret-bench-secret-bench-secret-0001",
  rs: "https://rs.bench.example",
  es: "https://es.bench.example",
  redirectUri: "http://localhost:9/cb",
  user: "bench",
  password: "bench-password-0001",
};

export const portcullisConfig = {
  api_resources: [
    { name: BENCH.rs, secrets: [{ value: BENCH.secret }], scopes: [{ name: "rs.read" }] },
    { name: BENCH.es, signing_alg: "ES256", secrets: [{ value: BENCH.secret }], scopes: [{ name: "es.read" }] },
  ],
  identity_resources: [
    { name: "openid", claims: ["sub"] },
    { name: "profile", claims: ["name"] },
  ],
  clients: [
    { client_id: "bench-cc", client_name: "Bench", client_secret: BENCH.secret, scope: "rs.read es.read" },
    { client_id: "bench-admin", client_name: "Bench admin", client_secret: BENCH.secret, scope: "portcullis:admin" },
    {
      client_id: "bench-dpop",
      client_name: "Bench DPoP",
      client_secret: BENCH.secret,
      scope: "rs.read",
      dpop_bound_access_tokens: true,
    },
    {
      client_id: "bench-ref",
      client_name: "Bench reference",
      client_secret: BENCH.secret,
      scope: "rs.read",
      portcullis: { access_token_format: "reference" },
    },
    {
      client_id: "bench-spa",
      client_name: "Bench SPA",
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code"],
      redirect_uris: [BENCH.redirectUri],
      scope: "openid profile",
      portcullis: { require_consent: false },
    },
    {
      client_id: "bench-device",
      client_name: "Bench device",
      token_endpoint_auth_method: "none",
      grant_types: [DEVICE_GRANT],
      scope: "openid",
      portcullis: { kind: "native" },
    },
  ],
  users: [{ username: BENCH.user, password: BENCH.password, claims: { name: "Bench User" } }],
};

/** fetch with a cookie jar and manual redirects. */
export class Browser {
  jar = new Map();
  async fetch(url, init = {}) {
    const headers = new Headers(init.headers);
    if (this.jar.size) headers.set("cookie", [...this.jar].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(c) || value === "") this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }
  /** Follows redirects until one leaves `origin` (the client's redirect_uri) or a page answers. */
  async follow(url, origin, init) {
    let res = await this.fetch(url, init);
    for (let i = 0; i < 10 && res.status >= 300 && res.status < 400; i++) {
      const next = new URL(res.headers.get("location"), url);
      if (next.origin !== origin) return { res, location: next };
      url = next.toString();
      res = await this.fetch(url);
    }
    return { res, location: new URL(url) };
  }
}

export async function pkce() {
  const verifier = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return { verifier, challenge: Buffer.from(digest).toString("base64url") };
}

export function authorizeUrl(base, path, challenge) {
  const q = new URLSearchParams({
    client_id: "bench-spa",
    response_type: "code",
    redirect_uri: BENCH.redirectUri,
    scope: "openid profile",
    state: "s",
    nonce: "n",
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  return `${base}${path}?${q}`;
}

/** Signs the bench user in to Portcullis through its real login page (the form's server action). */
export async function signInPortcullis(base, browser) {
  const { challenge } = await pkce();
  let { res, location } = await browser.follow(authorizeUrl(base, "/connect/authorize", challenge), base);
  const html = await res.text();
  const actionField = /name="(\$ACTION_ID_[0-9a-f]+)"/.exec(html)?.[1];
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  const interaction = location.searchParams.get("interaction");
  if (!actionField || !csrf || !interaction) throw new Error("portcullis login page not understood");
  const form = new FormData();
  form.set(actionField, "");
  form.set("interaction", interaction);
  form.set("csrf", csrf);
  form.set("login", BENCH.user);
  form.set("password", BENCH.password);
  const posted = await browser.fetch(location.toString(), { method: "POST", body: form, headers: { origin: base } });
  const done = await browser.follow(new URL(posted.headers.get("location"), base).toString(), base);
  if (!done.location.searchParams.get("code")) throw new Error(`portcullis sign-in failed (${done.res.status})`);
}

/** Signs the bench user in to node-oidc-provider through its development interactions. */
export async function signInPeer(base, browser) {
  const { challenge } = await pkce();
  let { res, location } = await browser.follow(authorizeUrl(base, "/auth", challenge), base);
  for (let step = 0; step < 4 && !location.searchParams.get("code"); step++) {
    const html = await res.text();
    const action = /action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
    if (!action || !prompt) throw new Error(`peer interaction not understood (${res.status})`);
    const body = new URLSearchParams({ prompt, login: BENCH.user, password: BENCH.password });
    ({ res, location } = await browser.follow(new URL(action, base).toString(), base, {
      method: "POST",
      body,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    }));
  }
  if (!location.searchParams.get("code")) throw new Error("peer sign-in failed");
}

/** One warm-session round trip: authorize (code) and token; returns the tokens. */
export async function codeRoundTrip(base, paths, browser) {
  const { verifier, challenge } = await pkce();
  const { location } = await browser.follow(authorizeUrl(base, paths.authorize, challenge), base);
  const code = location.searchParams.get("code");
  if (!code) throw new Error(`no code: ${location}`);
  const res = await fetch(`${base}${paths.token}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: BENCH.redirectUri,
      code_verifier: verifier,
      client_id: "bench-spa",
    }),
  });
  if (res.status !== 200) throw new Error(`token exchange failed: ${res.status} ${await res.text()}`);
  return res.json();
}
