/**
 * An external identity provider as the configuration file, the admin REST API and the console
 * describe it (one description for all three):
 * - `type` is `oidc` (found by its issuer's discovery), `oauth2` (explicit authorization, token
 *   and userinfo endpoints) or a preset name that fills in the rest;
 * - `client_secret` is write-only: accepted here, sealed at rest, never shown or exported in plain;
 * - `claims` maps a local claim name to the upstream claim it is read from, over the kind's or
 *   preset's mapping; the keys `sub`, `email` and `email_verified` name where the upstream subject
 *   and email come from, `preferred_username` only suggests the username of a new user;
 * - views add the read-only `callback_url`, the exact redirect URI to register at the provider.
 */
import { z } from "zod";
import { scopeName } from "./common";

export const PROVIDER_KINDS = ["oidc", "oauth2"] as const;
export const PRESET_NAMES = ["github", "google", "microsoft-entra-id", "gitlab"] as const;
export const PROVIDER_TYPES = [...PROVIDER_KINDS, ...PRESET_NAMES] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];
export type PresetName = (typeof PRESET_NAMES)[number];

export const FIRST_LOGIN_POLICIES = ["create", "link", "create_or_link"] as const;
export type FirstLoginPolicy = (typeof FIRST_LOGIN_POLICIES)[number];

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** An upstream URL: https, or http on a loopback host (development and tests). */
export const upstreamUrl = z
  .string()
  .max(2000)
  .refine((v) => {
    if (!URL.canParse(v)) return false;
    const u = new URL(v);
    return !u.hash && !u.username && !u.password && (u.protocol === "https:" || (u.protocol === "http:" && LOOPBACK.has(u.hostname)));
  }, "must be an https URL (http only on localhost), without a fragment or credentials");

export const providerId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "must be 1 to 63 lowercase letters, digits, - or _, starting with a letter or digit");

const emailDomain = z
  .string()
  .max(253)
  .transform((d) => d.trim().toLowerCase())
  .refine(
    (d) => /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/.test(d),
    "must be a domain name such as example.com",
  );

const upstreamClaim = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7E]+$/, "must be a claim name without spaces");

const scope = z
  .string()
  .max(2000)
  .refine(
    (s) =>
      s.split(" ").filter(Boolean).length > 0 &&
      s
        .split(" ")
        .filter(Boolean)
        .every((n) => scopeName.safeParse(n).success),
    "must be space-separated scope names",
  );

/** The fields, without the rules between them (so variants can pick, omit and make partial). */
export const identityProviderFields = z
  .object({
    id: providerId,
    display_name: z.string().trim().min(1, "must not be empty").max(100),
    type: z.enum(PROVIDER_TYPES, `must be one of ${PROVIDER_TYPES.join(", ")}`),
    issuer: upstreamUrl.optional(),
    authorization_endpoint: upstreamUrl.optional(),
    token_endpoint: upstreamUrl.optional(),
    userinfo_endpoint: upstreamUrl.optional(),
    /** microsoft-entra-id: common, organizations, consumers or the tenant id (its discovery names the issuer by id) */
    tenant: z
      .string()
      .regex(
        /^(common|organizations|consumers|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/,
        "must be common, organizations, consumers or the tenant id (a GUID)",
      )
      .optional(),
    client_id: z
      .string()
      .min(1)
      .max(500)
      .regex(/^[\x21-\x7E]+$/, "must be printable ASCII without spaces"),
    client_secret: z.string().min(1).max(2000).optional(),
    scope: scope.optional(),
    enabled: z.boolean().default(true),
    claims: z
      .record(scopeName, upstreamClaim)
      .refine((c) => Object.keys(c).length <= 50, "at most 50 claims")
      .default({}),
    trust_email: z.boolean().default(false),
    first_login: z.enum(FIRST_LOGIN_POLICIES, "must be create, link or create_or_link").default("create_or_link"),
    email_domains: z.array(emailDomain).max(50).default([]),
  })
  .strict();

type Fields = Partial<z.infer<typeof identityProviderFields>>;
type Issue = { path: string; message: string };

/** The rules between fields: which location fields each type takes. */
export function providerFieldIssues(p: Fields): Issue[] {
  const issues: Issue[] = [];
  const endpoints = ["authorization_endpoint", "token_endpoint", "userinfo_endpoint"] as const;
  const given = endpoints.filter((e) => p[e] !== undefined);
  if (p.type === "oidc") {
    if (!p.issuer)
      issues.push({ path: "issuer", message: "an oidc provider needs its issuer (its discovery document is read from there)" });
    for (const e of given) issues.push({ path: e, message: "an oidc provider finds its endpoints by discovery: give only the issuer" });
  } else if (p.type === "oauth2") {
    for (const e of endpoints)
      if (p[e] === undefined) issues.push({ path: e, message: "an oauth2 provider needs its authorization, token and userinfo endpoints" });
  } else if (p.type === "github") {
    if (p.issuer !== undefined && given.length === 0)
      issues.push({ path: "issuer", message: "for GitHub Enterprise give the three endpoints as well" });
    if (given.length > 0 && given.length < 3) issues.push({ path: given[0]!, message: "give all three endpoints, or none for github.com" });
  } else if (p.type !== undefined) {
    for (const e of given)
      issues.push({ path: e, message: `the ${p.type} preset finds its endpoints by discovery: give only the issuer, if any` });
  }
  if (p.tenant !== undefined && p.type !== undefined && p.type !== "microsoft-entra-id")
    issues.push({ path: "tenant", message: "tenant is only for microsoft-entra-id" });
  if (p.type === "microsoft-entra-id" && p.tenant !== undefined && p.issuer !== undefined)
    issues.push({ path: "tenant", message: "give tenant or issuer, not both" });
  return issues;
}

function withRules<T extends z.ZodType<Fields>>(schema: T): T {
  return schema.superRefine((p, ctx) => {
    for (const i of providerFieldIssues(p)) ctx.addIssue({ code: "custom", path: [i.path], message: i.message });
  }) as unknown as T;
}

/** A provider in the configuration file and the body of `POST /identity-providers`. */
export const identityProviderInput = withRules(identityProviderFields);
export type IdentityProviderInput = z.infer<typeof identityProviderFields>;

const secretChange = z.string().min(1).max(2000).nullable().optional();

/**
 * The whole description of an existing provider (`PUT /identity-providers/{id}`, the console's
 * edit form): `client_secret` absent keeps the stored secret, `null` removes it.
 */
export const identityProviderReplace = identityProviderFields.extend({ client_secret: secretChange }).superRefine((p, ctx) => {
  for (const i of providerFieldIssues({ ...p, client_secret: p.client_secret ?? undefined }))
    ctx.addIssue({ code: "custom", path: [i.path], message: i.message });
});

/**
 * A change to a provider (`PATCH`): any field but `id`; `client_secret: null` removes the secret,
 * an absent one keeps it. The rules between fields apply to the result, after merging.
 */
export const identityProviderPatch = identityProviderFields.omit({ id: true }).partial().extend({ client_secret: secretChange }).strict();
export type IdentityProviderPatch = z.infer<typeof identityProviderPatch>;

/** What the API and the console show: never the secret, always the callback URL. */
export type IdentityProviderView = Omit<IdentityProviderInput, "client_secret"> & {
  callback_url: string;
  created_at: string;
  updated_at: string;
};
