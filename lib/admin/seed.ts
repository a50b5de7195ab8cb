/**
 * First-start data, written once into a new database: the standard identity resources and,
 * unless PORTCULLIS_DEMO=false, a demo admin, API and machine client whose generated
 * credentials are returned to be printed once. Goes through the import, like any configuration.
 */
import { randomBytes } from "node:crypto";
import { STANDARD_IDENTITY_SCOPES, USER_EDITABLE_CLAIMS } from "../oidc";
import { importConfig, type ConfigRepository } from "./config-transfer";
import { ADMIN_API, ADMIN_SCOPE } from "./access";
import { generateSecret } from "./entries";

export const DEMO_API = "https://api.example.com";

const IDENTITY: Record<(typeof STANDARD_IDENTITY_SCOPES)[number], { display_name: string; claims: string[]; required?: boolean }> = {
  openid: { display_name: "Your user identifier", claims: ["sub"], required: true },
  profile: {
    display_name: "Your profile",
    // OpenID Connect Core 5.4: the profile claims (the ones a user may be allowed to edit) and updated_at
    claims: [...USER_EDITABLE_CLAIMS, "updated_at"],
  },
  email: { display_name: "Your email address", claims: ["email", "email_verified"] },
  address: { display_name: "Your postal address", claims: ["address"] },
  phone: { display_name: "Your phone number", claims: ["phone_number", "phone_number_verified"] },
};

export interface DemoCredentials {
  adminUsername: string;
  adminPassword: string;
  clientId: string;
  clientSecret: string;
  apiName: string;
  apiSecret: string;
}

export async function seed(repo: ConfigRepository, demo: boolean): Promise<DemoCredentials | null> {
  const identity_resources = STANDARD_IDENTITY_SCOPES.map((name) => ({ name, ...IDENTITY[name] }));
  if (!demo) {
    await importConfig(repo, { identity_resources });
    return null;
  }
  const creds: DemoCredentials = {
    adminUsername: "admin",
    adminPassword: randomBytes(12).toString("base64url"),
    clientId: "demo-machine",
    clientSecret: generateSecret(),
    apiName: DEMO_API,
    apiSecret: generateSecret(),
  };
  await importConfig(repo, {
    identity_resources,
    api_resources: [
      {
        name: DEMO_API,
        display_name: "Demo API",
        secrets: [{ value: creds.apiSecret, description: "demo introspection secret" }],
        scopes: [
          { name: "demo.read", display_name: "Read demo data" },
          { name: "demo.write", display_name: "Change demo data" },
        ],
      },
    ],
    clients: [
      {
        client_id: creds.clientId,
        client_name: "Demo machine client",
        client_secret: creds.clientSecret,
        grant_types: ["client_credentials"],
        scope: "demo.read demo.write",
        portcullis: { kind: "machine" },
      },
    ],
    users: [{ username: creds.adminUsername, password: creds.adminPassword, roles: ["admin"], claims: { name: "Administrator" } }],
  });
  return creds;
}

/** The built-in admin API and its scope; created at every start when missing. */
export async function ensureBuiltins(repo: ConfigRepository): Promise<void> {
  const { scopeOwners } = await repo.snapshot({ clients: [], api_resources: [], identity_resources: [], users: [] });
  if (scopeOwners.has(ADMIN_SCOPE)) return;
  await importConfig(repo, {
    api_resources: [
      {
        name: ADMIN_API,
        display_name: "Portcullis admin API",
        scopes: [
          {
            name: ADMIN_SCOPE,
            display_name: "Administer Portcullis",
            description: "Manage clients, resources, users and sessions",
            emphasize: true,
          },
        ],
      },
    ],
  });
}
