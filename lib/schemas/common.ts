import { z } from "zod";

/** An ISO 8601 date-time string. */
export const dateTime = z.iso.datetime({ offset: true });

/** A secret given in plain (hashed on import) or as a stored hash (from an export). */
export const secretInput = z
  .object({
    value: z.string().min(32, "a secret must be at least 32 characters: generate one, e.g. `openssl rand -base64 32`").max(512).optional(),
    hash: z
      .string()
      .regex(/^sha256:[A-Za-z0-9_-]{43}$/, "must be a sha256:<base64url> hash from an export")
      .optional(),
    description: z.string().max(200).optional(),
    expires_at: dateTime.optional(),
  })
  .strict()
  .refine((s) => (s.value === undefined) !== (s.hash === undefined), { message: "give exactly one of value and hash" });
export type SecretInput = z.infer<typeof secretInput>;

/** What the console and the admin API accept for a new secret of a client or an API resource: never its value (generated there). */
export const newSecretInput = z
  .object({
    description: z.string().max(200).optional(),
    expires_at: dateTime.optional(),
  })
  .strict();

/** Names of scopes, resources and claims: printable, no spaces (they travel space-separated). */
export const scopeName = z
  .string()
  .min(1, "Enter a name.")
  .max(200, "A name has at most 200 characters.")
  .regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, "Names use printable ASCII characters, without spaces, quotes or backslashes.");

/** An absolute URL without a fragment; `what` names it in the messages ("Redirect URIs", "The logo URL"). */
export const absoluteUrlOf = (what: string, plural = true) =>
  z
    .string()
    .max(2000, `${what} must have at most 2000 characters.`)
    .refine(
      (v) => URL.canParse(v),
      plural
        ? `${what} must be absolute URLs, such as https://app.example.com/callback.`
        : `${what} must be an absolute URL, such as https://app.example.com.`,
    )
    .refine((v) => !v.includes("#"), `${what} must not contain a fragment (#...).`);

export const absoluteUrl = absoluteUrlOf("The URL", false);
