// node-oidc-provider (in-memory storage) configured like the Portcullis bench configuration:
// the same clients, secrets, resources, algorithms and token formats. Only the benchmark uses it.
import Provider from "oidc-provider";
import { exportJWK, generateKeyPair } from "jose";
import { BENCH, DEVICE_GRANT } from "./setup.mjs";

const port = Number(process.env.PEER_PORT);

// Unbounded in-memory storage: the built-in development adapter is an LRU of 1,000 entries, which
// a load test overflows (evicting the very tokens being introspected).
const stores = new Map();
class MapAdapter {
  constructor(model) {
    this.model = model;
  }
  key(id) {
    return `${this.model}:${id}`;
  }
  async upsert(id, payload, expiresIn) {
    stores.set(this.key(id), { payload, exp: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
    if (payload.grantId) {
      const k = `grant:${payload.grantId}`;
      stores.set(k, [...(stores.get(k) ?? []), this.key(id)]);
    }
    if (payload.uid) stores.set(`uid:${this.model}:${payload.uid}`, id);
    if (payload.userCode) stores.set(`userCode:${payload.userCode}`, id);
  }
  async find(id) {
    const e = stores.get(this.key(id));
    if (!e || e.exp < Date.now()) return undefined;
    return e.payload;
  }
  async findByUid(uid) {
    const id = stores.get(`uid:${this.model}:${uid}`);
    return id ? this.find(id) : undefined;
  }
  async findByUserCode(code) {
    const id = stores.get(`userCode:${code}`);
    return id ? this.find(id) : undefined;
  }
  async consume(id) {
    const e = stores.get(this.key(id));
    if (e) e.payload.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id) {
    stores.delete(this.key(id));
  }
  async revokeByGrantId(grantId) {
    for (const k of stores.get(`grant:${grantId}`) ?? []) stores.delete(k);
    stores.delete(`grant:${grantId}`);
  }
}
const issuer = `http://localhost:${port}`;
const jwk = async (alg) => ({ ...(await exportJWK((await generateKeyPair(alg, { extractable: true })).privateKey)), alg, use: "sig" });

const resources = {
  [BENCH.rs]: { scope: "rs.read", alg: "RS256" },
  [BENCH.es]: { scope: "es.read", alg: "ES256" },
};

const provider = new Provider(issuer, {
  adapter: MapAdapter,
  clients: [
    {
      client_id: "bench-cc",
      client_secret: BENCH.secret,
      grant_types: ["client_credentials"],
      response_types: [],
      redirect_uris: [],
      scope: "rs.read es.read",
    },
    {
      client_id: "bench-dpop",
      client_secret: BENCH.secret,
      grant_types: ["client_credentials"],
      response_types: [],
      redirect_uris: [],
      scope: "rs.read",
      dpop_bound_access_tokens: true,
    },
    {
      client_id: "bench-ref",
      client_secret: BENCH.secret,
      grant_types: ["client_credentials"],
      response_types: [],
      redirect_uris: [],
      scope: "rs.read",
    },
    { client_id: "bench-api", client_secret: BENCH.secret, grant_types: [], response_types: [], redirect_uris: [] },
    {
      client_id: "bench-spa",
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code"],
      response_types: ["code"],
      redirect_uris: [BENCH.redirectUri],
      scope: "openid profile",
    },
    {
      client_id: "bench-device",
      token_endpoint_auth_method: "none",
      grant_types: [DEVICE_GRANT],
      response_types: [],
      redirect_uris: [],
      scope: "openid",
    },
  ],
  jwks: { keys: [await jwk("RS256"), await jwk("ES256")] },
  cookies: { keys: ["bench-cookie-key-bench-cookie-key"] },
  scopes: ["openid", "offline_access", "rs.read", "es.read"],
  pkce: { required: () => true },
  findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub, name: "Bench User" }) }),
  claims: { openid: ["sub"], profile: ["name"] },
  features: {
    clientCredentials: { enabled: true },
    dPoP: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    devInteractions: { enabled: true },
    deviceFlow: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => undefined,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, indicator, client) => {
        const r = resources[indicator];
        if (!r) throw new Provider.errors.InvalidTarget();
        return {
          scope: r.scope,
          audience: indicator,
          accessTokenTTL: 3600,
          accessTokenFormat: client.clientId === "bench-ref" ? "opaque" : "jwt",
          jwt: { sign: { alg: r.alg } },
        };
      },
    },
  },
});
provider.listen(port, "127.0.0.1", () => console.log(`peer ready on ${issuer}`));
