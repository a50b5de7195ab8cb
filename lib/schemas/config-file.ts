/** The declarative configuration file read by `portcullis import` and written by `portcullis export`. */
import { z } from "zod";
import { accountSettingsInput } from "./account";
import { clientInput } from "./client";
import { identityProviderInput } from "./identity-provider";
import { apiResourceInput, identityResourceInput } from "./resources";
import { userInput } from "./user";

export const configFile = z
  .object({
    $schema: z.string().optional(),
    clients: z.array(clientInput).default([]),
    api_resources: z.array(apiResourceInput).default([]),
    identity_resources: z.array(identityResourceInput).default([]),
    users: z.array(userInput).default([]),
    /** client_secret absent: the stored one is kept; export never writes it */
    identity_providers: z.array(identityProviderInput).default([]),
    /** the server's settings: read at start-up from the file named by PORTCULLIS_IMPORT */
    settings: z
      .object({ account: accountSettingsInput.optional() })
      .strict()
      .optional()
      .describe("server settings, applied when the server starts with this file as PORTCULLIS_IMPORT"),
  })
  .strict();
export type ConfigFile = z.infer<typeof configFile>;

export function configFileJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configFile, { io: "input", target: "draft-2020-12" }),
    title: "Portcullis configuration file",
  };
}
