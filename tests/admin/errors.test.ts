/**
 * One admin error set, one code-to-status table: the REST API answers each code with its status,
 * the console's actions answer the same codes with their form message; nothing else is caught.
 */
import { describe, expect, it } from "vitest";
import { ADMIN_ERROR_STATUS, AdminError, adminErrorOf, csrfFailed, invalid, notFound, type AdminErrorCode } from "@/lib/admin/errors";
import { ConfigImportError } from "@/lib/admin/config-transfer";
import { errorResponse } from "@/lib/next/admin-api";
import { actionFailure, CONSOLE_MESSAGES } from "@/lib/next/admin-action";

const codes = Object.keys(ADMIN_ERROR_STATUS) as AdminErrorCode[];
const problems = [{ path: "redirect_uris[0]", message: "Redirect URIs must use https (or http on a loopback address)." }];

describe("the admin error table", () => {
  it("gives every code a status the REST API answers with, in the same JSON shape", async () => {
    expect(codes.sort()).toEqual([
      "csrf_failed",
      "forbidden",
      "not_found",
      "payload_too_large",
      "unauthenticated",
      "unsupported_media_type",
      "validation_failed",
    ]);
    for (const code of codes.filter((c) => c !== "unauthenticated")) {
      const res = errorResponse(new AdminError(code, `a ${code} message`, problems), true);
      expect(res.status, code).toBe(ADMIN_ERROR_STATUS[code]);
      expect(await res.json(), code).toEqual({
        error: { code, message: `a ${code} message`, ...(code === "validation_failed" ? { fields: problems } : {}) },
      });
    }
    expect(errorResponse(invalid(problems), false).status).toBe(400);
    expect(await errorResponse(notFound("client app"), false).json()).toEqual({
      error: { code: "not_found", message: "client app not found" },
    });
  });

  it("answers unauthenticated with 401 `unauthorized` and a challenge for the kind of credentials used", async () => {
    const bearer = errorResponse(new AdminError("unauthenticated", "the session has ended"), true);
    expect(bearer.status).toBe(401);
    expect(bearer.headers.get("www-authenticate")).toBe('Bearer realm="portcullis", error="invalid_token"');
    expect(await bearer.json()).toEqual({ error: { code: "unauthorized", message: "the access token is invalid or expired" } });
    const session = errorResponse(new AdminError("unauthenticated", "the session has ended"), false);
    expect(session.status).toBe(401);
    expect(session.headers.get("www-authenticate")).toBe('Bearer realm="portcullis", scope="portcullis:admin"');
    expect(await session.json()).toEqual({ error: { code: "unauthorized", message: "authentication required" } });
  });

  it("gives every code a console message; field problems go beside the fields", () => {
    for (const code of codes) {
      const failure = actionFailure(new AdminError(code, `a ${code} message`, problems));
      expect(failure, code).toEqual({
        ok: false,
        message: CONSOLE_MESSAGES[code] ?? `a ${code} message`,
        ...(code === "validation_failed" ? { fields: problems } : {}),
      });
    }
    expect(actionFailure(invalid(problems))).toEqual({ ok: false, message: "Some fields need attention.", fields: problems });
    expect(actionFailure(notFound("session s1"))).toEqual({ ok: false, message: "session s1 not found" });
  });

  it("shows a stale console form's CSRF token as a form message, not a server error", () => {
    expect(actionFailure(csrfFailed("the form has expired: reload the page"))).toEqual({
      ok: false,
      message: "This form has expired. Reload the page and try again.",
    });
  });

  it("counts the import's failures as validation_failed and nothing else as an admin error", () => {
    const rejected = new ConfigImportError(problems);
    expect(adminErrorOf(rejected)?.code).toBe("validation_failed");
    expect(actionFailure(rejected)).toEqual({ ok: false, message: "Some fields need attention.", fields: problems });
    for (const other of [
      new Error("boom"),
      Object.assign(new Error("unique"), { code: "P2002" }),
      { code: "not_found" },
      "not_found",
      null,
    ]) {
      expect(adminErrorOf(other)).toBeUndefined();
      expect(actionFailure(other)).toBeNull();
    }
  });
});
