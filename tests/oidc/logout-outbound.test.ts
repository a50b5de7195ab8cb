/** The SSRF guard of back-channel logout requests (lib/server/outbound.ts), against real sockets. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isNonPublicAddress, OutboundRefused, postForm, type OutboundOptions } from "@/lib/server/outbound";
import { env } from "@/lib/env";

let server: Server;
let base: string;
const seen: { path: string; host: string | undefined; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      seen.push({ path: req.url!, host: req.headers.host, body });
      if (req.url === "/slow") return; // never answers
      if (req.url === "/big") return void res.writeHead(200).end("x".repeat(10_000));
      if (req.url === "/moved") return void res.writeHead(302, { Location: "/ok" }).end();
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const strict: OutboundOptions = { allowPrivate: false, timeoutMs: 2000, maxBytes: 1024 };
const dev: OutboundOptions = { ...strict, allowPrivate: true };
const vars = (v: Record<string, string>) => v as NodeJS.ProcessEnv;
const form = new URLSearchParams({ logout_token: "t" });

async function refusal(url: string, o: OutboundOptions): Promise<string> {
  const err = await postForm(url, form, o).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OutboundRefused);
  return (err as Error).message;
}

describe("outbound requests to registered URLs", () => {
  it("classifies loopback, private, link-local, CGNAT, unspecified, multicast and mapped addresses as non-public", () => {
    for (const a of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "::1",
      "::",
      "fc00::1",
      "fd12::1",
      "fe80::1",
      "ff02::1",
      "::ffff:127.0.0.1",
      "::ffff:10.0.0.1",
      "::10.0.0.1",
      "2002:a00:1::1",
      "not-an-address",
    ])
      expect(isNonPublicAddress(a), a).toBe(true);
    for (const a of ["93.184.215.14", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8", "172.32.0.1"])
      expect(isNonPublicAddress(a), a).toBe(false);
  });

  it("refuses 127.0.0.1, 10.x, 169.254.x and ::1 by default, before any connection", async () => {
    const before = seen.length;
    expect(await refusal("https://127.0.0.1/bc", strict)).toBe("127.0.0.1 resolves to a non-public address (127.0.0.1)");
    expect(await refusal("https://10.0.0.7/bc", strict)).toBe("10.0.0.7 resolves to a non-public address (10.0.0.7)");
    expect(await refusal("https://169.254.169.254/latest/meta-data", strict)).toBe(
      "169.254.169.254 resolves to a non-public address (169.254.169.254)",
    );
    expect(await refusal("https://[::1]/bc", strict)).toBe("::1 resolves to a non-public address (::1)");
    expect(seen.length).toBe(before);
  });

  it("refuses a name when any address it resolves to is non-public, and http without the setting", async () => {
    const resolve = async () => [
      { address: "93.184.215.14", family: 4 },
      { address: "10.9.8.7", family: 4 },
    ];
    expect(await refusal("https://rp.example/bc", { ...strict, resolve })).toBe("rp.example resolves to a non-public address (10.9.8.7)");
    expect(await refusal(`${base}/ok`, strict)).toBe("http: is not allowed (https only)");
    expect(await refusal("ftp://rp.example/bc", dev)).toBe("ftp: is not allowed (https only)");
  });

  it("with the setting, posts the form to loopback, connecting to the address it checked while keeping the Host", async () => {
    const port = (server.address() as AddressInfo).port;
    const resolve = async () => [{ address: "127.0.0.1", family: 4 }];
    const res = await postForm(`http://rp.test:${port}/ok`, form, { ...dev, resolve });
    expect(res).toEqual({ status: 204, body: "" });
    expect(seen.at(-1)).toEqual({ path: "/ok", host: `rp.test:${port}`, body: "logout_token=t" });
  });

  it("does not follow redirects, caps the response body and times out", async () => {
    expect(await postForm(`${base}/moved`, form, dev)).toEqual({ status: 302, body: "" });
    expect(seen.at(-1)!.path).toBe("/moved");
    expect(await refusal(`${base}/big`, dev)).toBe("response body over 1024 bytes");
    expect(await refusal(`${base}/slow`, { ...dev, timeoutMs: 300 })).toBe("no answer within 300 ms");
  });

  it("reads PORTCULLIS_ALLOW_PRIVATE_LOGOUT_URIS once, off by default", () => {
    expect(env(vars({})).PORTCULLIS_ALLOW_PRIVATE_LOGOUT_URIS).toBe(false);
    expect(env(vars({ PORTCULLIS_ALLOW_PRIVATE_LOGOUT_URIS: "true" })).PORTCULLIS_ALLOW_PRIVATE_LOGOUT_URIS).toBe(true);
    expect(() => env(vars({ PORTCULLIS_ALLOW_PRIVATE_LOGOUT_URIS: "yes" }))).toThrow(/PORTCULLIS_ALLOW_PRIVATE_LOGOUT_URIS/);
  });
});
