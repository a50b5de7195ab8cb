import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { configFileJsonSchema } from "@/lib/schemas/config-file";

it("the committed JSON Schema matches the zod schema (regenerate: npx portcullis schema > portcullis.schema.json)", () => {
  const committed = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../portcullis.schema.json"), "utf8"));
  expect(committed).toEqual(configFileJsonSchema());
});
