/** Upstream calls end in time and refuse oversized answers; discovery documents are cached. */
import { createServer, type Server, type ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBoundedFetch, UpstreamResponseTooLarge, UpstreamUnavailable } from "@/lib/auth/external/fetch";

let server: Server;
let base = "";
const hits = new Map<string, number>();
const hanging: ServerResponse[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? "/";
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path === "/never") {
      hanging.push(res);
      return;
    }
    if (path === "/half") {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"a":');
      hanging.push(res);
      return;
    }
    if (path === "/declared-big") {
      res.writeHead(200, { "content-length": String(2048) });
      res.end("x".repeat(2048));
      return;
    }
    if (path === "/streamed-big") {
      res.writeHead(200, { "content-type": "application/json" });
      for (let i = 0; i < 8; i++) res.write("y".repeat(512));
      res.end();
      return;
    }
    if (path === "/.well-known/openid-configuration") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ issuer: base, n: hits.get(path) }));
      return;
    }
    if (path === "/down/.well-known/openid-configuration") {
      res.writeHead(503);
      res.end();
      return;
    }
    res.writeHead(201, { "content-type": "application/json", "x-upstream": "yes" });
    res.end(JSON.stringify({ ok: true }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  for (const res of hanging) res.destroy();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe("bounded fetch", () => {
  // A short timeout only where the upstream never answers: elsewhere a loaded machine must not fail a test.
  const bounded = createBoundedFetch({ timeoutMs: 30_000, maxBytes: 1024 });
  const impatient = createBoundedFetch({ timeoutMs: 300, maxBytes: 1024 });

  it("passes an ordinary answer through", async () => {
    const res = await bounded(`${base}/ok`, { method: "POST", body: "x" });
    expect(res.status).toBe(201);
    expect(res.headers.get("x-upstream")).toBe("yes");
    expect(await res.json()).toEqual({ ok: true });
  });

  it("gives up on an upstream that does not answer, or does not finish", async () => {
    await expect(impatient(`${base}/never`)).rejects.toThrow(new UpstreamUnavailable(`${new URL(base).host} did not answer: timed out`));
    await expect(impatient(`${base}/half`)).rejects.toThrow(
      new UpstreamUnavailable(`${new URL(base).host} did not finish its answer: timed out`),
    );
  });

  it("refuses an answer over the size limit, declared or streamed", async () => {
    const tooLarge = new UpstreamResponseTooLarge(`${new URL(base).host} answered more than 1024 bytes`);
    await expect(bounded(`${base}/declared-big`)).rejects.toThrow(tooLarge);
    await expect(bounded(`${base}/streamed-big`)).rejects.toThrow(tooLarge);
  });

  it("fails as unavailable when nothing listens", async () => {
    await expect(bounded("http://127.0.0.1:1/x")).rejects.toBeInstanceOf(UpstreamUnavailable);
  });

  it("keeps a discovery document for its period, successful answers only", async () => {
    const clock = { now: 0 };
    const cached = createBoundedFetch({ timeoutMs: 30_000, maxBytes: 4096, discoveryTtlMs: 60_000, now: () => clock.now });
    const url = `${base}/.well-known/openid-configuration`;
    const before = hits.get("/.well-known/openid-configuration") ?? 0;
    expect(await (await cached(url)).json()).toEqual({ issuer: base, n: before + 1 });
    clock.now += 59_999;
    expect(await (await cached(url)).json()).toEqual({ issuer: base, n: before + 1 });
    clock.now += 1;
    expect(await (await cached(url)).json()).toEqual({ issuer: base, n: before + 2 });
    await cached(`${base}/down/.well-known/openid-configuration`);
    expect((await cached(`${base}/down/.well-known/openid-configuration`)).status).toBe(503);
    expect(hits.get("/down/.well-known/openid-configuration")).toBe(2);
  });
});
