/**
 * Plain-words messages for the generic zod issues (wrong type, too short, too long, not one of),
 * for the admin console and the admin API. Fields with a message of their own (set in their
 * schema) keep it: zod prefers a schema's message to this per-parse one.
 *
 *   schema.safeParse(value, { error: plainError })
 */
import type { z } from "zod";

const list = (values: readonly unknown[]) => values.map((v) => String(v)).join(", ");

const TYPES: Record<string, string> = {
  string: "Enter text.",
  number: "Enter a number.",
  int: "Enter a whole number.",
  boolean: "Choose yes or no.",
  array: "Give a list.",
  object: "Give an object.",
};

export const plainError: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "This field is required.";
      if (issue.expected === "number" && typeof issue.input === "number") return "Enter a number.";
      return TYPES[issue.expected] ?? `Must be of type ${issue.expected}.`;
    case "too_small": {
      const min = Number(issue.minimum) + (issue.inclusive === false ? 1 : 0);
      if (issue.origin === "string") return min <= 1 ? "Enter a value." : `Use at least ${min} characters.`;
      if (issue.origin === "array" || issue.origin === "set") return min <= 1 ? "Give at least one." : `Give at least ${min}.`;
      return `Must be at least ${issue.minimum}${issue.inclusive === false ? " (exclusive)" : ""}.`;
    }
    case "too_big": {
      if (issue.origin === "string") return `Use at most ${issue.maximum} characters.`;
      if (issue.origin === "array" || issue.origin === "set") return `Give at most ${issue.maximum}.`;
      return `Must be at most ${issue.maximum}${issue.inclusive === false ? " (exclusive)" : ""}.`;
    }
    case "invalid_format":
      if (issue.format === "email") return "Enter an email address, such as name@example.com.";
      if (issue.format === "datetime") return "Enter a date and time, such as 2030-01-31T12:00:00Z.";
      if (issue.format === "url") return "Enter an absolute URL, such as https://app.example.com.";
      return "Contains characters that are not allowed here.";
    case "invalid_value":
      return issue.values.length === 1 ? `Must be ${list(issue.values)}.` : `Choose one of: ${list(issue.values)}.`;
    case "unrecognized_keys":
      return `Unknown field${issue.keys.length > 1 ? "s" : ""}: ${issue.keys.join(", ")}.`;
    case "not_multiple_of":
      return `Must be a multiple of ${issue.divisor}.`;
    case "invalid_union":
      return "This value is not valid here.";
    default:
      return undefined;
  }
};
