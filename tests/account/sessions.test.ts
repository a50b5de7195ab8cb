import { afterAll, describe, expect, it } from "vitest";
import { startSession } from "@/lib/oidc";
import { endMyOtherSessions, endMySession, mySessions } from "@/lib/account/service";
import { describeUserAgent } from "@/lib/account/user-agent";
import { createPrismaAccountStore } from "@/lib/stores/prisma/account";
import { databaseKinds } from "../helpers/databases";
import { databasePool, prismaProvider, testClock } from "../helpers/prisma-provider";

const pool = databasePool();
afterAll(() => pool.dropAll());

const FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const SAFARI_IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

async function setup(kind: "sqlite" | "postgresql") {
  const database = await pool.create(kind);
  const clock = testClock();
  const p = await prismaProvider(database.url, clock);
  database.track(p.db);
  for (const username of ["alice", "bob"]) await p.db.user.create({ data: { id: `u-${username}`, username, claims: {}, roles: [] } });
  const start = (userId: string, userAgent: string, ipAddress = "203.0.113.7") =>
    startSession(p.ctx, { userId, amr: ["pwd"], ipAddress, userAgent });
  return { ...p, clock, store: createPrismaAccountStore(p.db, kind), start };
}

describe("describeUserAgent", () => {
  it("names common browsers and systems, and says unknown otherwise", () => {
    expect(describeUserAgent(FIREFOX_LINUX)).toEqual({ browser: "Firefox", os: "Linux" });
    expect(describeUserAgent(SAFARI_IPHONE)).toEqual({ browser: "Safari", os: "iOS" });
    expect(
      describeUserAgent(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0",
      ),
    ).toEqual({ browser: "Edge", os: "Windows" });
    expect(describeUserAgent(null)).toEqual({ browser: "Unknown browser", os: "unknown system" });
  });
});

for (const kind of databaseKinds) {
  describe(`account sessions (${kind})`, () => {
    it("lists my active sessions only, this device marked, with browser, system and IP", async () => {
      const p = await setup(kind);
      const older = await p.start("u-alice", SAFARI_IPHONE, "198.51.100.2");
      p.clock.advance(60);
      const mine = await p.start("u-alice", FIREFOX_LINUX);
      await p.start("u-bob", FIREFOX_LINUX);
      const ended = await p.start("u-alice", FIREFOX_LINUX);
      await p.ctx.stores.sessions.revokeSession(ended.session.id, new Date(p.clock.now));

      const list = await mySessions(p.ctx, p.store, mine.handle);
      expect(list).toEqual([
        {
          id: mine.session.id,
          authTime: new Date(p.clock.now),
          lastSeenAt: expect.any(Date),
          ipAddress: "203.0.113.7",
          browser: "Firefox",
          os: "Linux",
          current: true,
        },
        {
          id: older.session.id,
          authTime: new Date(p.clock.now - 60_000),
          lastSeenAt: expect.any(Date),
          ipAddress: "198.51.100.2",
          browser: "Safari",
          os: "iOS",
          current: false,
        },
      ]);
      expect(await mySessions(p.ctx, p.store, "not-a-session")).toBeNull();
    });

    it("ends one of my other sessions, audited; refuses a forged id of another user's session and this one", async () => {
      const p = await setup(kind);
      const mine = await p.start("u-alice", FIREFOX_LINUX);
      const phone = await p.start("u-alice", SAFARI_IPHONE);
      const bobs = await p.start("u-bob", FIREFOX_LINUX);

      expect(await endMySession(p.ctx, p.store, mine.handle, bobs.session.id)).toBe("not_found");
      expect((await p.db.session.findUnique({ where: { id: bobs.session.id } }))!.revokedAt).toBeNull();
      expect(await endMySession(p.ctx, p.store, mine.handle, mine.session.id)).toBe("current");
      expect(await endMySession(p.ctx, p.store, undefined, phone.session.id)).toBe("not_signed_in");

      expect(await endMySession(p.ctx, p.store, mine.handle, phone.session.id)).toBe("ended");
      expect((await p.db.session.findUnique({ where: { id: phone.session.id } }))!.revokedAt).toEqual(new Date(p.clock.now));
      expect(await endMySession(p.ctx, p.store, mine.handle, phone.session.id)).toBe("not_found");
      const audit = await p.db.auditEvent.findMany({ where: { type: "logout" } });
      expect(audit.map((e) => [e.actor, e.subject, e.details])).toEqual([
        ["u-alice", "u-alice", { sessionId: phone.session.id, from: "account_sessions" }],
      ]);
      expect(await mySessions(p.ctx, p.store, mine.handle)).toHaveLength(1);
    });

    it("ends all my other sessions, never another user's, and keeps this one", async () => {
      const p = await setup(kind);
      const mine = await p.start("u-alice", FIREFOX_LINUX);
      await p.start("u-alice", SAFARI_IPHONE);
      await p.start("u-alice", SAFARI_IPHONE);
      const bobs = await p.start("u-bob", FIREFOX_LINUX);

      expect(await endMyOtherSessions(p.ctx, p.store, mine.handle)).toBe(2);
      expect((await mySessions(p.ctx, p.store, mine.handle))!.map((s) => s.id)).toEqual([mine.session.id]);
      expect(await mySessions(p.ctx, p.store, bobs.handle)).toHaveLength(1);
      expect(await endMyOtherSessions(p.ctx, p.store, "forged")).toBeNull();
      const audit = await p.db.auditEvent.findMany({ where: { type: "logout_others" } });
      expect(audit.map((e) => e.details)).toEqual([{ kept: mine.session.id, count: 2, from: "account_sessions" }]);
    });
  });
}
