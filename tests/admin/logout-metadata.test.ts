/**
 * The logout metadata of a client (Back-Channel Logout 1.0 2.2, Front-Channel Logout 1.0 2) in
 * the one client schema, and through the configuration file on each database.
 */
import { afterAll, describe, expect, it } from "vitest";
import { clientInput } from "@/lib/schemas/client";
import { exportConfig, importConfig } from "@/lib/admin/config-transfer";
import { createPrismaConfigRepository } from "@/lib/stores/prisma/config-repository";
import { createDb } from "@/lib/db";
import { databaseKinds } from "../helpers/databases";
import { databasePool } from "../helpers/prisma-provider";

const web = {
  client_id: "rp",
  client_name: "RP",
  client_secret: "logout-secret-logout-secret-logout-1",
  grant_types: ["authorization_code"],
  redirect_uris: ["https://rp.example/cb"],
  portcullis: { kind: "web" },
};

const problems = (c: Record<string, unknown>) => {
  const r = clientInput.safeParse({ ...web, ...c });
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("logout metadata", () => {
  it("defaults the session_required flags to false and takes both URIs", () => {
    const parsed = clientInput.parse({
      ...web,
      backchannel_logout_uri: "https://rp.example/backchannel",
      frontchannel_logout_uri: "https://rp.example/frontchannel?x=1",
    });
    expect(parsed).toMatchObject({
      backchannel_logout_uri: "https://rp.example/backchannel",
      backchannel_logout_session_required: false,
      frontchannel_logout_uri: "https://rp.example/frontchannel?x=1",
      frontchannel_logout_session_required: false,
    });
  });

  it("refuses a fragment, another scheme, and a front-channel URI on an origin without a redirect URI", () => {
    expect(problems({ backchannel_logout_uri: "https://rp.example/bc#x" })).toEqual([
      "backchannel_logout_uri: The back-channel logout URI must not contain a fragment (#...).",
    ]);
    expect(problems({ backchannel_logout_uri: "ftp://rp.example/bc" })).toEqual([
      "backchannel_logout_uri: The back-channel logout URI must use https (or http).",
    ]);
    expect(problems({ backchannel_logout_uri: "relative/path" })).toEqual([
      "backchannel_logout_uri: The back-channel logout URI must be an absolute URL, such as https://app.example.com.",
    ]);
    expect(problems({ frontchannel_logout_uri: "https://rp.example:8443/fc" })).toEqual([
      "frontchannel_logout_uri: The front-channel logout URI must have the scheme, host and port of a registered redirect URI.",
    ]);
    expect(problems({ frontchannel_logout_uri: "https://rp.example/fc", backchannel_logout_session_required: "yes" })).toHaveLength(1);
  });
});

const pool = databasePool();
afterAll(() => pool.dropAll());

for (const kind of databaseKinds) {
  it(`keeps the logout metadata through import and export (${kind})`, async () => {
    const database = await pool.create(kind);
    const repo = createPrismaConfigRepository(database.track(createDb(database.url)));
    const logout = {
      backchannel_logout_uri: "https://rp.example/backchannel",
      backchannel_logout_session_required: true,
      frontchannel_logout_uri: "https://rp.example/frontchannel",
      frontchannel_logout_session_required: true,
    };
    await importConfig(repo, {
      clients: [
        { ...web, ...logout },
        { ...web, client_id: "plain" },
      ],
    });
    const exported = await exportConfig(repo);
    expect(exported.clients.find((c) => c.client_id === "rp")).toMatchObject(logout);
    const plain = exported.clients.find((c) => c.client_id === "plain")!;
    expect(plain).toMatchObject({ backchannel_logout_session_required: false, frontchannel_logout_session_required: false });
    expect(plain).not.toHaveProperty("backchannel_logout_uri");
  });
}
