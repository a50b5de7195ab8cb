import { describe, expect, it } from "vitest";
import { checkNewPassword, passwordProblem } from "@/lib/auth/password-policy";

describe("password policy", () => {
  const who = { username: "alice", email: "a.liddell@example.com" };

  it("asks for the configured minimum length (default 12) and at most 256 characters", () => {
    expect(checkNewPassword("Tr0ub4dor&3", who)).toBe("Use at least 12 characters.");
    expect(passwordProblem("Tr0ub4dor&3x", who)).toBeNull();
    expect(checkNewPassword("Tr0ub4dor&3", who, { minLength: 8 })).toBeNull();
    expect(checkNewPassword("x".repeat(257), who, { minLength: 8 })).toBe("Use at most 256 characters.");
    // characters as people count them, not UTF-16 units
    expect(passwordProblem("🐉".repeat(12), who)).toBeNull();
  });

  it("refuses a common password, whatever its case", () => {
    expect(passwordProblem("password1234", who, { minLength: 8 })).toBe("common");
    expect(passwordProblem("PASSWORD1234", who, { minLength: 8 })).toBe("common");
    expect(checkNewPassword("qwertyuiop", who, { minLength: 8 })).toBe("This password is too common. Choose one that is harder to guess.");
  });

  it("refuses the username or the email's local part inside it, for parts of 3 characters or more", () => {
    expect(passwordProblem("my-ALICE-horse-battery", who)).toBe("personal");
    expect(passwordProblem("x-a.liddell-staple-9", who)).toBe("personal");
    expect(checkNewPassword("correct horse battery", who)).toBeNull();
    // a two-letter username would refuse too much by chance
    expect(passwordProblem("jo-correct-horse-battery", { username: "jo" })).toBeNull();
  });
});
