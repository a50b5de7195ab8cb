import { z } from "zod";
import { SIGNING_ALGS } from "../oidc";
import { scopeName, secretInput } from "./common";

/** A name and the words the console and the consent page show for it. */
const described = z.object({
  name: scopeName,
  display_name: z.string().max(200).optional(),
  description: z.string().max(1000).optional(),
});

/** How the consent page and discovery treat a scope (an API scope or an identity resource). */
const scopeDisplay = {
  required: z.boolean().default(false),
  emphasize: z.boolean().default(false),
  show_in_discovery: z.boolean().default(true),
  enabled: z.boolean().default(true),
};

export const apiScopeInput = described.extend({ ...scopeDisplay, user_claims: z.array(scopeName).default([]) }).strict();

/** An API resource: its name is the audience of its tokens and the RFC 8707 resource indicator. */
export const apiResourceInput = described
  .extend({
    enabled: scopeDisplay.enabled,
    signing_alg: z.enum(SIGNING_ALGS).default("RS256"),
    user_claims: z.array(scopeName).default([]),
    /** secrets the API uses at the introspection endpoint */
    secrets: z.array(secretInput).max(20).optional(),
    scopes: z.array(apiScopeInput).max(200).default([]),
  })
  .strict();
export type ApiResourceInput = z.infer<typeof apiResourceInput>;

export const identityResourceInput = described.extend({ claims: z.array(scopeName).default([]), ...scopeDisplay }).strict();
export type IdentityResourceInput = z.infer<typeof identityResourceInput>;

/** What the console and the admin API accept for an API resource: secrets are generated there. */
export const apiResourceAdminInput = apiResourceInput.omit({ secrets: true });
