import { z } from "zod";
import { scopeName } from "./common";

export const userFields = z
  .object({
    username: z.string().min(1).max(100).regex(/^[^\s@][^\s]*$/, "must not contain spaces or start with @"),
    email: z.email().max(254).transform((e) => e.toLowerCase()).optional(),
    email_verified: z.boolean().default(false),
    /** plain password, hashed on import */
    password: z.string().min(8, "must be at least 8 characters").max(256).optional(),
    /** a stored hash from an export */
    password_hash: z.string().regex(/^scrypt\$/, "must be a scrypt hash from an export").optional(),
    claims: z.record(scopeName, z.unknown()).default({}),
    roles: z.array(scopeName).default([]),
    locked: z.boolean().default(false),
  })
  .strict();

export const userInput = userFields.refine((u) => !(u.password && u.password_hash), { message: "give password or password_hash, not both", path: ["password"] });
export type UserInput = z.infer<typeof userInput>;

/** What the console and the admin API accept for a user: a password in plain (hashed there), never a hash. */
export const userAdminInput = userFields.omit({ password_hash: true });
export const passwordInput = z.object({ password: z.string().min(8, "must be at least 8 characters").max(256) }).strict();
