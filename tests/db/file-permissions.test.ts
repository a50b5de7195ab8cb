/** The embedded database holds hashes and sealed keys: only its owner may read it. */
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { migrate } from "@/lib/db/migrate";
import { createSqliteHotStores } from "@/lib/stores/sqlite";
import { sqlitePath } from "@/lib/db";

const root = mkdtempSync(path.join(tmpdir(), "portcullis-perm-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);

describe("SQLite files", () => {
  it("are created 0600 in a folder created 0700, journal files included", async () => {
    const url = `file:${root}/new/data/portcullis.db`;
    await migrate(url);
    const hot = createSqliteHotStores(sqlitePath(url));
    await hot.grants.saveGrant({
      key: "k",
      type: "t",
      clientId: "c",
      subjectId: null,
      familyId: null,
      data: {},
      expiresAt: null,
      consumedAt: null,
    });
    try {
      expect(mode(`${root}/new/data`)).toBe("700");
      expect(mode(`${root}/new`)).toBe("700");
      for (const f of ["portcullis.db", "portcullis.db-wal", "portcullis.db-shm"]) expect(mode(`${root}/new/data/${f}`)).toBe("600");
    } finally {
      hot.close();
    }
  });
});
