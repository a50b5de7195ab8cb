import { z } from "zod";
import { SIGNING_ALGS } from "../oidc";
import { scopeName, secretInput } from "./common";

export const apiScopeInput = z
  .object({
    name: scopeName,
    display_name: z.string().max(200).optional(),
    description: z.string().max(1000).optional(),
    required: z.boolean().default(false),
    emphasize: z.boolean().default(false),
    show_in_discovery: z.boolean().default(true),
    enabled: z.boolean().default(true),
    user_claims: z.array(scopeName).default([]),
  })
  .strict();

/** An API resource: its name is the audience of its tokens and the RFC 8707 resource indicator. */
export const apiResourceInput = z
  .object({
    name: scopeName,
    display_name: z.string().max(200).optional(),
    description: z.string().max(1000).optional(),
    enabled: z.boolean().default(true),
    signing_alg: z.enum(SIGNING_ALGS).default("RS256"),
    user_claims: z.array(scopeName).default([]),
    /** secrets the API uses at the introspection endpoint */
    secrets: z.array(secretInput).max(20).optional(),
    scopes: z.array(apiScopeInput).max(200).default([]),
  })
  .strict();
export type ApiResourceInput = z.infer<typeof apiResourceInput>;

export const identityResourceInput = z
  .object({
    name: scopeName,
    display_name: z.string().max(200).optional(),
    description: z.string().max(1000).optional(),
    claims: z.array(scopeName).default([]),
    required: z.boolean().default(false),
    emphasize: z.boolean().default(false),
    show_in_discovery: z.boolean().default(true),
    enabled: z.boolean().default(true),
  })
  .strict();
export type IdentityResourceInput = z.infer<typeof identityResourceInput>;

/** What the console and the admin API accept for an API resource: secrets are generated there. */
export const apiResourceAdminInput = apiResourceInput.omit({ secrets: true });
