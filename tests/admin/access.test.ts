/**
 * The admin boundary without HTTP: every service method decides on its principal before it reads
 * anything, and the decision is made again at each call (role, lock, session, token expiry).
 */
import { describe, expect, it } from "vitest";
import { ADMIN_API, ADMIN_SCOPE, createAdminAccess, type Principal } from "@/lib/admin/access";
import { createAdmin } from "@/lib/admin";
import { errorCodeOf } from "@/lib/admin/errors";
import { startSession } from "@/lib/oidc/session";
import { createAccessToken } from "@/lib/oidc/tokens/access-token";
import type { UserRecord } from "@/lib/oidc/ports";
import { addClient, testProvider, type TestProvider } from "../helpers/provider";

/** A store that fails the test if anything reaches it. */
const untouchable = <T extends object>(name: string) =>
  new Proxy(
    {},
    {
      get: (_t, key) => () => {
        throw new Error(`${name}.${String(key)} reached`);
      },
    },
  ) as T;

function addUser(p: TestProvider, id: string, roles: string[], locked = false): UserRecord {
  const user: UserRecord = {
    id,
    username: id,
    email: null,
    emailVerified: false,
    claims: {},
    roles,
    locked,
    updatedAt: new Date(p.clock.now),
  };
  p.stores.data.users.set(id, user);
  return user;
}

async function setup() {
  const p = await testProvider({ sessionLifetime: 3600 });
  const admin = createAdmin({
    provider: p.ctx,
    clients: untouchable("clients"),
    directory: untouchable("directory"),
    config: untouchable("config"),
    identityProviders: untouchable("identityProviders"),
    outbox: untouchable("outbox"),
    mailer: { mode: "outbox" },
  });
  return { p, admin, access: admin.access };
}

const codeOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => "allowed",
    (err: unknown) => errorCodeOf(err) ?? String(err),
  );

describe("the admin services", () => {
  it("refuse, before touching any store, a missing principal and one not made by their access", async () => {
    const { p, admin } = await setup();
    addUser(p, "root", ["admin"]);
    const { handle } = await startSession(p.ctx, { userId: "root", amr: ["pwd"] });
    // The same shape, from another access instance: looks right, is not ours.
    const foreign = await createAdminAccess(p.ctx).fromSession(handle);
    const forged = { kind: "client", clientId: "automation", expiresAt: 2e9 } as unknown as Principal;
    const services = { clients: admin.clients, keys: admin.keys, outbox: admin.outbox, ...admin.directory } as unknown as Record<
      string,
      Record<string, (...a: unknown[]) => Promise<unknown>>
    >;
    let methods = 0;
    for (const [group, service] of Object.entries(services)) {
      for (const [name, method] of Object.entries(service)) {
        if (typeof method !== "function") continue;
        for (const principal of [undefined, null, forged, foreign]) {
          expect(await codeOf(method.call(service, principal, "x", {}, "y")), `${group}.${name}`).toBe("unauthenticated");
        }
        methods++;
      }
    }
    expect(methods).toBeGreaterThan(25);
  });
});

describe("admin access", () => {
  it("decides on a browser session at each call: role, lock and session end", async () => {
    const { p, access } = await setup();
    const root = addUser(p, "root", ["admin"]);
    addUser(p, "alice", []);
    const rootSession = await startSession(p.ctx, { userId: "root", amr: ["pwd"] });
    const aliceSession = await startSession(p.ctx, { userId: "alice", amr: ["pwd"] });
    expect(await access.fromSession(undefined)).toBeNull();
    expect(await access.fromSession("not-a-session")).toBeNull();

    const principal = (await access.fromSession(rootSession.handle))!;
    expect(await access.authorize(principal)).toEqual({ id: "root", name: "user:root", username: "root" });
    expect(await codeOf(access.authorize((await access.fromSession(aliceSession.handle))!))).toBe("forbidden");

    p.stores.data.users.set("root", { ...root, roles: [] });
    expect(await codeOf(access.authorize(principal))).toBe("forbidden");
    p.stores.data.users.set("root", { ...root, locked: true });
    expect(await codeOf(access.authorize(principal))).toBe("unauthenticated");
    p.stores.data.users.set("root", root);
    expect(await codeOf(access.authorize(principal))).toBe("allowed");
    await p.ctx.stores.sessions.revokeSession(rootSession.session.id, new Date(p.clock.now));
    expect(await codeOf(access.authorize(principal))).toBe("unauthenticated");

    const later = await startSession(p.ctx, { userId: "root", amr: ["pwd"] });
    const again = (await access.fromSession(later.handle))!;
    p.clock.advance(3601);
    expect(await codeOf(access.authorize(again))).toBe("unauthenticated");
  });

  it("decides on tokens: a client's needs the scope and the admin API audience, a user's also the admin role", async () => {
    const { p, access } = await setup();
    const automation = await addClient(p.stores, { clientId: "automation", allowedScopes: [ADMIN_SCOPE] });
    const spa = await addClient(p.stores, {
      clientId: "spa",
      tokenEndpointAuthMethod: "none",
      grantTypes: ["authorization_code"],
      allowedScopes: ["openid", ADMIN_SCOPE],
    });
    addUser(p, "root", ["admin"]);
    addUser(p, "alice", []);
    const token = async (client: typeof automation, subject: string, audiences = [ADMIN_API], scopes = [ADMIN_SCOPE], extra = {}) =>
      (await createAccessToken(p.ctx, { client, subject, scopes, audiences, resources: [], extraClaims: extra })).token;

    const machine = await access.fromBearer(await token(automation, "automation"));
    expect(machine.ok && machine.principal.kind).toBe("client");
    expect(await access.authorize(machine.ok ? machine.principal : null)).toEqual({ id: "automation", name: "client:automation" });
    expect(await access.fromBearer(await token(automation, "automation", ["https://orders.example"]))).toEqual({
      ok: false,
      reason: "insufficient_scope",
    });
    expect(await access.fromBearer(await token(automation, "automation", [ADMIN_API], ["orders.read"]))).toEqual({
      ok: false,
      reason: "insufficient_scope",
    });
    expect(await access.fromBearer("garbage")).toEqual({ ok: false, reason: "invalid_token" });

    const signIn = { auth_time: Math.floor(p.clock.now / 1000), sid: "s1" };
    const rootToken = await access.fromBearer(await token(spa, "root", [ADMIN_API], [ADMIN_SCOPE], signIn));
    const aliceToken = await access.fromBearer(await token(spa, "alice", [ADMIN_API], [ADMIN_SCOPE], signIn));
    expect(await access.authorize(rootToken.ok ? rootToken.principal : null)).toEqual({
      id: "root",
      name: "user:root via client:spa",
      username: "root",
    });
    expect(await codeOf(access.authorize(aliceToken.ok ? aliceToken.principal : null))).toBe("forbidden");
    p.stores.data.users.delete("root");
    expect(await codeOf(access.authorize(rootToken.ok ? rootToken.principal : null))).toBe("unauthenticated");

    // The client loses the scope: its tokens stop counting at the next call.
    p.stores.data.clients.set("automation", { ...automation, allowedScopes: [] });
    p.ctx.config.invalidate();
    expect(await codeOf(access.authorize(machine.ok ? machine.principal : null))).toBe("unauthenticated");
    p.stores.data.clients.set("automation", automation);
    p.ctx.config.invalidate();
    p.clock.advance(automation.accessTokenLifetime);
    expect(await codeOf(access.authorize(machine.ok ? machine.principal : null))).toBe("unauthenticated");
  });
});
