#!/usr/bin/env node
// npm run bench: Portcullis (built, production, SQLite) against node-oidc-provider (in memory),
// configured alike, each pinned to core 0 when taskset exists, driven by autocannon from core 1
// in alternating A/B rounds. Prints requests/s (min/median/max over rounds), p50, p99, errors and
// the ratio Portcullis / peer per endpoint, the code + PKCE round trip, RSS, and the targets.
// Knobs: BENCH_DURATION (s per run, 5), BENCH_ROUNDS (3), BENCH_CONNECTIONS (20), BENCH_PORT (3701), BENCH_ONLY (a
// regular expression: only the endpoints it matches are loaded, e.g. "device|RS256").
import { spawn, spawnSync } from "node:child_process";
import { generateKeyPairSync, randomUUID, sign } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { BENCH, Browser, DEVICE_GRANT, codeRoundTrip, portcullisConfig, signInPeer, signInPortcullis } from "./setup.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
// Decided before re-executing on core 1 (where availableParallelism() then says 1).
const canPin = process.env.BENCH_PINNED === "1" || (spawnSync("taskset", ["-c", "0", "true"]).status === 0 && availableParallelism() >= 2);

if (canPin && !process.env.BENCH_PINNED) {
  const r = spawnSync("taskset", ["-c", "1", process.execPath, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, BENCH_PINNED: "1" },
  });
  process.exit(r.status ?? 1);
}
if (!existsSync(path.join(root, "dist/server.mjs")) || !existsSync(path.join(root, ".next/BUILD_ID"))) {
  console.error("bench: build first (npm run build)");
  process.exit(1);
}

const pinned = (args) => (canPin ? ["taskset", ["-c", "0", ...args]] : [args[0], args.slice(1)]);
const children = [];
process.on("exit", () => children.forEach((c) => c.kill("SIGTERM")));

async function start(name, args, env, readyUrl) {
  const [cmd, argv] = pinned(args);
  const child = spawn(cmd, argv, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited:\n${out}`);
    try {
      if ((await fetch(readyUrl)).ok) return child;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} did not start:\n${out}`);
}

function rssMb(pid) {
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8")
      .split("\n")
      .find((l) => l.startsWith("VmRSS:"));
    return Number(line.split(/\s+/)[1]) / 1024;
  } catch {
    return NaN;
  }
}

// A fresh DPoP proof (RFC 9449) for every request, as a client sends it: one ES256 key, a new jti.
const dpopKey = generateKeyPairSync("ec", { namedCurve: "P-256" });
const b64 = (v) => Buffer.from(JSON.stringify(v)).toString("base64url");
const dpopHeader = b64({ typ: "dpop+jwt", alg: "ES256", jwk: dpopKey.publicKey.export({ format: "jwk" }) });
function dpopProof(htu) {
  const input = `${dpopHeader}.${b64({ jti: randomUUID(), htm: "POST", htu, iat: Math.floor(Date.now() / 1000) })}`;
  return `${input}.${sign("sha256", Buffer.from(input), { key: dpopKey.privateKey, dsaEncoding: "ieee-p1363" }).toString("base64url")}`;
}

const basic = (id, secret) => "Basic " + Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64");
const form = { "content-type": "application/x-www-form-urlencoded" };

async function prepare(target) {
  const meta = await (await fetch(`${target.base}/.well-known/openid-configuration`)).json();
  const browser = new Browser();
  await target.signIn(target.base, browser);
  const paths = { authorize: new URL(meta.authorization_endpoint).pathname, token: new URL(meta.token_endpoint).pathname };
  const user = await codeRoundTrip(target.base, paths, browser);
  const ref = await (
    await fetch(meta.token_endpoint, {
      method: "POST",
      headers: { ...form, authorization: basic("bench-ref", BENCH.secret) },
      body: `grant_type=client_credentials&scope=rs.read&resource=${encodeURIComponent(BENCH.rs)}`,
    })
  ).json();
  // A device that polls a pending device code: every answer is an RFC 8628 3.5 error (400).
  const device = await (
    await fetch(meta.device_authorization_endpoint, { method: "POST", headers: form, body: "client_id=bench-device&scope=openid" })
  ).json();
  const cc = (scope, resource) => ({
    url: meta.token_endpoint,
    method: "POST",
    headers: { ...form, authorization: basic("bench-cc", BENCH.secret) },
    body: `grant_type=client_credentials&scope=${scope}&resource=${encodeURIComponent(resource)}`,
  });
  return {
    meta,
    browser,
    paths,
    endpoints: {
      "client_credentials RS256": cc("rs.read", BENCH.rs),
      "client_credentials ES256": cc("es.read", BENCH.es),
      "client_credentials DPoP": {
        url: meta.token_endpoint,
        method: "POST",
        headers: { ...form, authorization: basic("bench-dpop", BENCH.secret) },
        body: `grant_type=client_credentials&scope=rs.read&resource=${encodeURIComponent(BENCH.rs)}`,
        dpop: meta.token_endpoint,
      },
      "client_credentials reference": {
        url: meta.token_endpoint,
        method: "POST",
        headers: { ...form, authorization: basic("bench-ref", BENCH.secret) },
        body: `grant_type=client_credentials&scope=rs.read&resource=${encodeURIComponent(BENCH.rs)}`,
      },
      introspection: {
        url: meta.introspection_endpoint,
        method: "POST",
        headers: { ...form, authorization: target.introspector() },
        body: `token=${ref.access_token}`,
      },
      discovery: { url: `${target.base}/.well-known/openid-configuration`, method: "GET" },
      jwks: { url: meta.jwks_uri, method: "GET" },
      userinfo: { url: meta.userinfo_endpoint, method: "GET", headers: { authorization: `Bearer ${user.access_token}` } },
      "device polling (pending)": {
        url: meta.token_endpoint,
        method: "POST",
        headers: form,
        body: `grant_type=${encodeURIComponent(DEVICE_GRANT)}&client_id=bench-device&device_code=${device.device_code}`,
        expectStatus: 400,
      },
    },
  };
}

async function check(name, e) {
  const headers = e.dpop ? { ...e.headers, dpop: dpopProof(e.dpop) } : e.headers;
  const res = await fetch(e.url, { method: e.method, headers, body: e.body });
  const text = await res.text();
  if (res.status !== (e.expectStatus ?? 200)) throw new Error(`${name} answered ${res.status}: ${text.slice(0, 200)}`);
  if (e.expectStatus === 400 && !["authorization_pending", "slow_down"].includes(JSON.parse(text).error))
    throw new Error(`${name} answered ${text.slice(0, 200)}`);
  if (name === "introspection" && !JSON.parse(text).active) throw new Error("introspection said inactive");
  if (e.dpop && JSON.parse(text).token_type !== "DPoP") throw new Error(`${name} did not bind the token`);
}

function load({ expectStatus, ...e }, pid, peak) {
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      peak.value = Math.max(peak.value, rssMb(pid));
    }, 250);
    const { dpop, ...request } = e;
    // A proof is single use: each request signs its own.
    const requests = dpop ? [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, dpop: dpopProof(dpop) } }) }] : undefined;
    autocannon({ ...request, requests, connections: CONNECTIONS, duration: DURATION }, (err, r) => {
      clearInterval(timer);
      if (err) return reject(err);
      // A polling endpoint answers 400 by design: there, anything but a 4xx is the error.
      const wrong = expectStatus === 400 ? r["1xx"] + r["2xx"] + r["3xx"] + r["5xx"] : r.non2xx;
      resolve({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts + wrong });
    });
  });
}

/** Seeds 100,000 users into the Portcullis database and times the admin API's user search. */
async function userSearch(base, dbFile) {
  const { default: Database } = await import("better-sqlite3");
  const db = new Database(dbFile);
  db.pragma("busy_timeout = 5000");
  const insert = db.prepare(
    `INSERT INTO "User" (id, username, email, emailVerified, claims, roles, locked, failedLoginCount, createdAt, updatedAt) VALUES (?, ?, ?, 0, '{}', '[]', 0, 0, ?, ?)`,
  );
  const stamp = new Date().toISOString().replace("Z", "+00:00");
  const t0 = performance.now();
  db.transaction(() => {
    for (let i = 0; i < 100_000; i++)
      insert.run(`bench-user-${i}`, `user${String(i).padStart(6, "0")}`, `user${i}@example.com`, stamp, stamp);
  })();
  const seedMs = performance.now() - t0;
  db.close();
  const meta = await (await fetch(`${base}/.well-known/openid-configuration`)).json();
  const { access_token } = await (
    await fetch(meta.token_endpoint, {
      method: "POST",
      headers: { ...form, authorization: basic("bench-admin", BENCH.secret) },
      body: "grant_type=client_credentials&scope=portcullis:admin",
    })
  ).json();
  const time = async (query) => {
    const times = [];
    let total = 0;
    for (let i = 0; i < 25; i++) {
      const t = performance.now();
      const res = await fetch(`${base}/api/admin/v1/users?${query}`, { headers: { authorization: `Bearer ${access_token}` } });
      if (res.status !== 200) throw new Error(`user search answered ${res.status}`);
      total = (await res.json()).total;
      times.push(performance.now() - t);
    }
    return { p50: median(times), total };
  };
  return {
    seedMs,
    prefix: await time("search=user0421"),
    first: await time("page=1&page_size=25"),
    deep: await time("page=2000&page_size=25"),
  };
}

async function roundTrips(target, prepared, n) {
  const times = [];
  for (let i = 0; i < n + 20; i++) {
    const t0 = performance.now();
    await codeRoundTrip(target.base, prepared.paths, prepared.browser);
    if (i >= 20) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(n * 0.5)], p99: times[Math.floor(n * 0.99)] };
}

function rawRs256Rate() {
  const script = `const c=require("node:crypto");const {privateKey}=c.generateKeyPairSync("rsa",{modulusLength:2048});const d=Buffer.alloc(300,120);let n=0;const t=performance.now();while(performance.now()-t<2000){c.sign("sha256",d,privateKey);n++}console.log(n/2)`;
  const [cmd, argv] = pinned([process.execPath, "-e", script]);
  return Number(spawnSync(cmd, argv, { encoding: "utf8" }).stdout.trim());
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n, d = 0) => (Number.isFinite(n) ? n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d }) : "n/a");

async function main() {
  const data = mkdtempSync(path.join(tmpdir(), "portcullis-bench-"));
  writeFileSync(path.join(data, "bench.json"), JSON.stringify(portcullisConfig));
  // BENCH_PORT moves both servers (Portcullis there, the peer one above): benches in other work trees use the defaults.
  const pPort = Number(process.env.BENCH_PORT ?? 3701);
  const peerPort = pPort + 1;
  console.log(
    `Portcullis vs node-oidc-provider: ${ROUNDS} rounds x ${DURATION} s, ${CONNECTIONS} connections, ${canPin ? "servers pinned to core 0, load on core 1" : "no pinning (taskset or a second core missing)"}`,
  );
  const raw = rawRs256Rate();
  const portcullis = {
    name: "Portcullis",
    base: `http://localhost:${pPort}`,
    signIn: signInPortcullis,
    introspector: () => basic(BENCH.rs, BENCH.secret),
    child: await start(
      "portcullis",
      [process.execPath, "dist/server.mjs"],
      {
        PORT: String(pPort),
        HOSTNAME: "127.0.0.1",
        PORTCULLIS_ISSUER: `http://localhost:${pPort}`,
        DATABASE_URL: `file:${data}/bench.db`,
        PORTCULLIS_DATA_DIR: data,
        PORTCULLIS_SECRET: "bench-server-secret-bench-server-secret",
        PORTCULLIS_DEMO: "false",
        PORTCULLIS_IMPORT: path.join(data, "bench.json"),
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        // node-oidc-provider has no rate limits, and all load comes from one address: measure the same work.
        ...Object.fromEntries(
          [
            "AUTHORIZE_IP",
            "AUTHORIZE_CLIENT",
            "TOKEN_IP",
            "TOKEN_CLIENT",
            "INTROSPECTION_IP",
            "INTROSPECTION_CLIENT",
            "LOGIN_IP",
            "LOGIN_USER",
          ].map((rule) => [`PORTCULLIS_RATE_LIMIT_${rule}`, "0"]),
        ),
      },
      `http://localhost:${pPort}/.well-known/openid-configuration`,
    ),
  };
  const peer = {
    name: "node-oidc-provider",
    base: `http://localhost:${peerPort}`,
    signIn: signInPeer,
    introspector: () => basic("bench-api", BENCH.secret),
    child: await start(
      "peer",
      [process.execPath, "bench/peer.mjs"],
      { PEER_PORT: String(peerPort), NODE_ENV: "production" },
      `http://localhost:${peerPort}/.well-known/openid-configuration`,
    ),
  };
  const targets = [portcullis, peer];
  for (const t of targets) {
    t.prepared = await prepare(t);
    for (const [name, e] of Object.entries(t.prepared.endpoints)) await check(`${t.name} ${name}`, e);
    await new Promise((r) => setTimeout(r, 1000));
    t.idleRss = rssMb(t.child.pid);
    t.peak = { value: t.idleRss };
  }

  // Round trips first: the peer's in-memory store is an LRU that load tests would evict the session from.
  const trips = {
    Portcullis: await roundTrips(portcullis, portcullis.prepared, 300),
    "node-oidc-provider": await roundTrips(peer, peer.prepared, 300),
  };
  const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : null;
  const names = Object.keys(portcullis.prepared.endpoints).filter((n) => !only || only.test(n));
  const results = Object.fromEntries(names.map((n) => [n, { Portcullis: [], "node-oidc-provider": [] }]));
  for (const name of names) {
    for (const t of targets) await load({ ...t.prepared.endpoints[name], duration: 1 }, t.child.pid, t.peak); // warm-up
    for (let r = 0; r < ROUNDS; r++) {
      for (const t of r % 2 ? [peer, portcullis] : [portcullis, peer]) {
        results[name][t.name].push(await load(t.prepared.endpoints[name], t.child.pid, t.peak));
      }
    }
    process.stdout.write(".");
  }
  console.log("");

  // ratio: Portcullis's median requests/s over the peer's (latency: the peer's p50 over ours); above 1 is better.
  const rows = [["endpoint", "Portcullis req/s min/med/max", "p50", "p99", "err", "peer req/s min/med/max", "p50", "p99", "err", "ratio"]];
  const ratios = {};
  let errors = 0;
  for (const name of names) {
    const [a, b] = [results[name].Portcullis, results[name]["node-oidc-provider"]];
    const cell = (xs) =>
      `${fmt(Math.min(...xs.map((x) => x.rps)))} / ${fmt(median(xs.map((x) => x.rps)))} / ${fmt(Math.max(...xs.map((x) => x.rps)))}`;
    const errs = (xs) => xs.reduce((s, x) => s + x.errors, 0);
    errors += errs(a);
    ratios[name] = median(a.map((x) => x.rps)) / median(b.map((x) => x.rps));
    rows.push([
      name,
      cell(a),
      `${median(a.map((x) => x.p50))} ms`,
      `${median(a.map((x) => x.p99))} ms`,
      String(errs(a)),
      cell(b),
      `${median(b.map((x) => x.p50))} ms`,
      `${median(b.map((x) => x.p99))} ms`,
      String(errs(b)),
      `${fmt(ratios[name], 2)}x`,
    ]);
  }
  rows.push([
    "code + PKCE round trip",
    "(latency, 300 sequential)",
    `${fmt(trips.Portcullis.p50, 1)} ms`,
    `${fmt(trips.Portcullis.p99, 1)} ms`,
    "0",
    "",
    `${fmt(trips["node-oidc-provider"].p50, 1)} ms`,
    `${fmt(trips["node-oidc-provider"].p99, 1)} ms`,
    "0",
    `${fmt(trips["node-oidc-provider"].p50 / trips.Portcullis.p50, 2)}x`,
  ]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  console.log("");
  for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  "));
  const search = await userSearch(portcullis.base, path.join(data, "bench.db"));
  console.log("");
  console.log(
    `RSS: Portcullis idle ${fmt(portcullis.idleRss)} MB, loaded ${fmt(portcullis.peak.value)} MB; node-oidc-provider idle ${fmt(peer.idleRss)} MB, loaded ${fmt(peer.peak.value)} MB`,
  );
  const rs256 = median((results["client_credentials RS256"]?.Portcullis ?? []).map((x) => x.rps));
  console.log(
    `raw RS256 signing on the server's core: ${fmt(raw)}/s; Portcullis RS256 issuance ${fmt(rs256)}/s (${fmt(raw / rs256, 2)}x below raw)`,
  );
  console.log(
    `100,000 users seeded in ${fmt(search.seedMs)} ms; admin API user search p50: prefix "user0421" ${fmt(search.prefix.p50, 1)} ms (${search.prefix.total} found), first page ${fmt(search.first.p50, 1)} ms, page 2,000 ${fmt(search.deep.p50, 1)} ms (total ${fmt(search.first.total)})`,
  );
  console.log("");
  const mark = (ok) => (ok ? "met " : "MISSED");
  for (const name of names) console.log(`${mark(ratios[name] >= 1.5)}  ${name}: ${fmt(ratios[name], 2)}x node-oidc-provider (target 1.5x)`);
  console.log(`${mark(raw / rs256 <= 1.5)}  RS256 issuance within 1.5x of raw signing (${fmt(raw / rs256, 2)}x)`);
  console.log(`${mark(trips.Portcullis.p50 < 50)}  code + PKCE round trip p50 ${fmt(trips.Portcullis.p50, 1)} ms (target < 50 ms)`);
  console.log(`${mark(errors === 0)}  errors under load: ${errors}`);
  console.log(`${mark(portcullis.idleRss < 200)}  idle RSS ${fmt(portcullis.idleRss)} MB (target < 200 MB)`);
  rmSync(data, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`bench: ${err.message}`);
    process.exit(1);
  },
);
