import { beforeEach, describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { INVALID_CREDENTIALS, LOCKED_OUT, signInWithPassword } from "@/lib/auth/login";
import type { LoginAccount, UserAccountStore } from "@/lib/auth/ports";
import { testProvider, type TestProvider } from "../helpers/provider";

let p: TestProvider;
let account: LoginAccount;
const accounts: UserAccountStore = {
  findByLogin: async (login) => (login === account.username || login === "alice@example.com" ? { ...account } : null),
  recordFailure: async (_id, lockedUntil) => {
    if (lockedUntil) { account.lockedUntil = lockedUntil; account.failedLoginCount = 0; } else account.failedLoginCount++;
  },
  recordSuccess: async () => { account.failedLoginCount = 0; account.lockedUntil = null; },
};

beforeEach(async () => {
  p = await testProvider();
  account = { id: "u1", username: "alice", passwordHash: await hashPassword("right password"), locked: false, lockedUntil: null, failedLoginCount: 0 };
  p.stores.data.users.set("u1", { id: "u1", username: "alice", email: "alice@example.com", emailVerified: true, claims: {}, roles: [], locked: false, updatedAt: new Date() });
});

const attempt = (password: string, login = "alice") => signInWithPassword(p.ctx, accounts, { login, password });

describe("password sign-in", () => {
  it("starts a session with amr pwd, by username or email", async () => {
    const r = await attempt("right password");
    expect(r.ok).toBe(true);
    expect((await attempt("right password", "alice@example.com")).ok).toBe(true);
    expect([...p.stores.data.sessions.values()][0]!.amr).toEqual(["pwd"]);
  });

  it("answers unknown user, wrong password and an administratively locked account alike", async () => {
    expect(await attempt("right password", "bob")).toEqual({ ok: false, message: INVALID_CREDENTIALS });
    expect(await attempt("wrong")).toEqual({ ok: false, message: INVALID_CREDENTIALS });
    account.locked = true;
    expect(await attempt("right password")).toEqual({ ok: false, message: INVALID_CREDENTIALS });
  });

  it("locks the account for 15 minutes after 5 failures, then lets the right password in", async () => {
    for (let i = 0; i < 4; i++) expect((await attempt("wrong")).ok).toBe(false);
    expect(await attempt("wrong")).toEqual({ ok: false, message: LOCKED_OUT });
    expect(await attempt("right password")).toEqual({ ok: false, message: LOCKED_OUT });
    p.clock.advance(15 * 60 + 1);
    expect((await attempt("right password")).ok).toBe(true);
    expect(p.stores.data.audit.filter((e) => e.type === "account_locked_out")).toHaveLength(1);
  });

  it("ends the browser's previous session when another sign-in happens", async () => {
    const first = await attempt("right password");
    const second = await signInWithPassword(p.ctx, accounts, { login: "alice", password: "right password", previousHandle: first.ok ? first.handle : undefined });
    expect(second.ok).toBe(true);
    const sessions = [...p.stores.data.sessions.values()];
    expect(sessions.filter((s) => s.revokedAt)).toHaveLength(1);
  });
});
