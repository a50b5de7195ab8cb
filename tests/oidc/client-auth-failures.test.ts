import { beforeEach, describe, expect, it } from "vitest";
import { introspect, token } from "@/lib/oidc";
import { addApi, addClient, basic, formRequest, SECRET, testProvider, type TestProvider } from "../helpers/provider";

let p: TestProvider;
const failures = () => p.stores.data.audit.filter((e) => e.type === "client_authentication_failed");
const attempt = (headers: Record<string, string>) =>
  token(formRequest("/connect/token", { grant_type: "client_credentials" }, headers), p.ctx);

beforeEach(async () => {
  p = await testProvider();
  await addApi(p.stores, "https://orders.example", ["orders.read"], {}, "api-secret-api-secret-api-secret");
  await addClient(p.stores, { clientId: "svc", allowedScopes: ["orders.read"] });
});

// Issue 8 item 5: every failed client authentication wrote an audit row.
describe("failed client authentications in the audit log", () => {
  it("writes one event per client for many failures in a window, with the count and the reasons", async () => {
    for (let i = 0; i < 200; i++) expect((await attempt(basic("svc", "wrong"))).status).toBe(401);
    for (let i = 0; i < 3; i++) await attempt(basic("ghost", SECRET));
    await introspect(formRequest("/connect/introspect", { token: "x" }, basic("https://orders.example", "nope")), p.ctx);
    expect(failures()).toHaveLength(0);
    p.clock.advance(30);
    await p.ctx.clientAuthFailures.flush();
    expect(failures()).toEqual([
      {
        type: "client_authentication_failed",
        clientId: "svc",
        details: { count: 200, reasons: { "invalid secret": 200 }, from: "2026-01-01T00:00:00.000Z", to: "2026-01-01T00:00:30.000Z" },
      },
      {
        type: "client_authentication_failed",
        clientId: "(unknown client)",
        details: {
          count: 3,
          reasons: { "unknown or disabled client": 3 },
          from: "2026-01-01T00:00:00.000Z",
          to: "2026-01-01T00:00:30.000Z",
        },
      },
      {
        type: "client_authentication_failed",
        clientId: "https://orders.example",
        details: {
          count: 1,
          reasons: { "invalid api resource secret or disabled api resource": 1 },
          from: "2026-01-01T00:00:00.000Z",
          to: "2026-01-01T00:00:30.000Z",
        },
      },
    ]);
    await p.ctx.clientAuthFailures.flush();
    expect(failures()).toHaveLength(3);
  });

  it("writes a finished window when the next failure comes after it", async () => {
    await attempt(basic("svc", "wrong"));
    await attempt(basic("svc", "wrong"));
    p.clock.advance(61);
    await attempt(basic("svc", "wrong"));
    await Promise.resolve();
    await p.ctx.clientAuthFailures.flush();
    expect(failures().map((e) => [e.clientId, e.details?.count, e.details?.to])).toEqual([
      ["svc", 2, "2026-01-01T00:01:01.000Z"],
      ["svc", 1, "2026-01-01T00:01:01.000Z"],
    ]);
  });

  it("counts every unknown client_id in one bucket, so invented ids cannot add rows", async () => {
    for (let i = 0; i < 1005; i++) await attempt(basic(`random-${i}`, "x"));
    await p.ctx.clientAuthFailures.flush();
    expect(failures()).toEqual([
      expect.objectContaining({ clientId: "(unknown client)", details: expect.objectContaining({ count: 1005 }) }),
    ]);
  });

  it("tells at most 1,000 client_ids apart in a window, counts the rest together and cuts long ones", async () => {
    p.ctx.clientAuthFailures.record("y".repeat(500), "invalid secret");
    for (let i = 0; i < 1005; i++) p.ctx.clientAuthFailures.record(`client-${i}`, "invalid secret");
    await p.ctx.clientAuthFailures.flush();
    expect(failures()).toHaveLength(1001);
    expect(failures()[0]!.clientId).toBe("y".repeat(200));
    expect(failures().at(-1)).toMatchObject({ clientId: "(other)", details: { count: 6 } });
  });
});
