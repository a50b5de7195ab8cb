/** The admin REST API's OpenAPI 3.1 document, generated from the same zod schemas it validates with. */
import { z } from "zod";
import { clientAdminInput } from "../schemas/client";
import { newSecretInput } from "../schemas/common";
import { apiResourceAdminInput, identityResourceInput } from "../schemas/resources";
import { passwordInput, userAdminInput } from "../schemas/user";
import {
  identityProviderFields,
  identityProviderInput,
  identityProviderPatch,
  identityProviderReplace,
} from "../schemas/identity-provider";
import { portalSettings, portalSettingsUpdate } from "../settings/schema";
import { initialAccessTokenInput } from "../schemas/registration";
import { ADMIN_SCOPE } from "./access";
import { API_ERROR_CODES } from "./errors";
import { MAX_PAGE, MAX_PAGE_SIZE } from "./paging";

const schema = (s: z.ZodType, io: "input" | "output" = "input") => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io, target: "draft-2020-12", unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  return rest;
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const body = (name: string) => ({ required: true, content: { "application/json": { schema: ref(name) } } });
const ok = (description: string, name?: string, status = "200") => ({
  [status]: name ? { description, content: { "application/json": { schema: ref(name) } } } : { description },
  400: {
    description: "invalid fields, a body that is not JSON or nests too deep, or a page out of range",
    content: { "application/json": { schema: ref("Error") } },
  },
  401: { description: "no valid credentials (a user's token also stops counting once the user is locked or deleted)" },
  403: { description: `no ${ADMIN_SCOPE} scope, or a user without the admin role at the time of the call` },
  404: { description: "not found", content: { "application/json": { schema: ref("Error") } } },
  413: {
    description: "the body is larger than PORTCULLIS_ADMIN_MAX_BODY (64 KiB by default)",
    content: { "application/json": { schema: ref("Error") } },
  },
  415: { description: "a body that is not application/json", content: { "application/json": { schema: ref("Error") } } },
});
const pathParam = (name: string, description?: string) => ({
  name,
  in: "path",
  required: true,
  schema: { type: "string" },
  ...(description ? { description } : {}),
});
const username = pathParam("username");
const listParams = [
  { name: "search", in: "query", schema: { type: "string" } },
  {
    name: "page",
    in: "query",
    schema: { type: "integer", minimum: 1, maximum: MAX_PAGE },
    description: "a page past the end has no items",
  },
  { name: "page_size", in: "query", schema: { type: "integer", minimum: 1, maximum: MAX_PAGE_SIZE, default: 25 } },
];

/** An entity of the console and the API: its collection, one entry by key, and its secrets if it has any. */
interface Entity {
  path: string;
  key: ReturnType<typeof pathParam>;
  /** the stem of the operation ids: listClients, createClient, getClient, updateClient, deleteClient, addClientSecret */
  name: string;
  /** the request body of create and replace */
  input: string;
  /** the request body of replace, when it differs */
  replaceInput?: string;
  /** what get and replace answer: [description, schema] */
  entry?: [string, string];
  list: { summary: string; says: string; schema?: string; paged?: boolean };
  create: { summary: string; says?: string; schema: string; id?: string };
  get?: string;
  replace?: string;
  /** PATCH: the summary and the body's schema */
  patch?: [string, string];
  remove: string;
  secrets?: { add: string; schema?: string; remove: string };
}

const ENTITIES: Entity[] = [
  {
    path: "/clients",
    key: pathParam("clientId"),
    name: "Client",
    input: "ClientInput",
    entry: ["the client", "Client"],
    list: { summary: "List and search clients", says: "a page of clients", schema: "ClientPage", paged: true },
    create: { summary: "Register a client; a confidential client's first secret is returned once", schema: "ClientCreated" },
    get: "Get a client",
    replace: "Replace a client's settings (secrets are kept)",
    remove: "Delete a client",
    secrets: { add: "Generate another secret (rotation); returned once", schema: "SecretCreated", remove: "Remove a secret" },
  },
  {
    path: "/api-resources",
    key: pathParam("name", "URL-encoded"),
    name: "ApiResource",
    input: "ApiResourceInput",
    entry: ["the API resource", "ApiResource"],
    list: { summary: "List API resources", says: "a page of API resources", paged: true },
    create: { summary: "Create an API resource with its scopes", schema: "ApiResource" },
    get: "Get an API resource",
    replace: "Replace an API resource (its scope list is taken whole)",
    remove: "Delete an API resource",
    secrets: { add: "Generate an introspection secret; returned once", remove: "Remove an introspection secret" },
  },
  {
    path: "/identity-resources",
    key: pathParam("name"),
    name: "IdentityResource",
    input: "IdentityResource",
    list: { summary: "List identity resources", says: "identity resources" },
    create: { summary: "Create or update an identity resource", says: "saved", schema: "IdentityResource", id: "saveIdentityResource" },
    remove: "Delete an identity resource",
  },
  {
    path: "/users",
    key: username,
    name: "User",
    input: "UserInput",
    entry: ["the user", "User"],
    list: { summary: "List users; search matches the start of username or email", says: "a page of users", paged: true },
    create: { summary: "Create a user (the password is hashed with scrypt)", schema: "User" },
    get: "Get a user with sessions, consents and external logins",
    replace: "Replace a user's profile, roles and claims",
    remove: "Delete a user",
  },
  {
    path: "/identity-providers",
    key: pathParam("id"),
    name: "IdentityProvider",
    input: "IdentityProviderInput",
    replaceInput: "IdentityProviderReplace",
    entry: ["the identity provider (never its client_secret)", "IdentityProvider"],
    list: { summary: "List external identity providers", says: "identity providers", schema: "IdentityProviderList" },
    create: { summary: "Add an external identity provider (client_secret is write-only)", schema: "IdentityProvider" },
    get: "Get an identity provider with its callback_url",
    replace: "Replace an identity provider (client_secret absent: the stored one is kept; null: removed)",
    patch: ["Change some fields (client_secret: null removes the secret)", "IdentityProviderPatch"],
    remove: "Delete an identity provider (its users' links stay)",
  },
];

function entityPaths(e: Entity): Record<string, Record<string, unknown>> {
  const one = `${e.path}/{${e.key.name}}`;
  const paths: Record<string, Record<string, unknown>> = {
    [e.path]: {
      get: {
        summary: e.list.summary,
        operationId: `list${e.name}s`,
        ...(e.list.paged ? { parameters: listParams } : {}),
        responses: ok(e.list.says, e.list.schema),
      },
      post: {
        summary: e.create.summary,
        operationId: e.create.id ?? `create${e.name}`,
        requestBody: body(e.input),
        responses: ok(e.create.says ?? "created", e.create.schema, "201"),
      },
    },
    [one]: {
      parameters: [e.key],
      ...(e.get && e.entry ? { get: { summary: e.get, operationId: `get${e.name}`, responses: ok(...e.entry) } } : {}),
      ...(e.replace && e.entry
        ? {
            put: {
              summary: e.replace,
              operationId: `update${e.name}`,
              requestBody: body(e.replaceInput ?? e.input),
              responses: ok(...e.entry),
            },
          }
        : {}),
      ...(e.patch && e.entry
        ? { patch: { summary: e.patch[0], operationId: `patch${e.name}`, requestBody: body(e.patch[1]), responses: ok(...e.entry) } }
        : {}),
      delete: { summary: e.remove, operationId: `delete${e.name}`, responses: ok("deleted", undefined, "204") },
    },
  };
  if (e.secrets) {
    paths[`${one}/secrets`] = {
      parameters: [e.key],
      post: {
        summary: e.secrets.add,
        operationId: `add${e.name}Secret`,
        requestBody: { content: { "application/json": { schema: ref("NewSecret") } } },
        responses: ok("created", e.secrets.schema, "201"),
      },
    };
    paths[`${one}/secrets/{secretId}`] = {
      parameters: [e.key, pathParam("secretId")],
      delete: { summary: e.secrets.remove, operationId: `remove${e.name}Secret`, responses: ok("removed", undefined, "204") },
    };
  }
  return paths;
}

export function adminOpenApi(issuer: string): Record<string, unknown> {
  return {
    openapi: "3.1.0",
    info: {
      title: "Portcullis admin API",
      version: "1",
      description: "Every change here is audited; the console uses the same services and schemas.",
    },
    servers: [{ url: `${issuer}/api/admin/v1` }],
    security: [{ oauth2: [ADMIN_SCOPE] }],
    components: {
      securitySchemes: {
        oauth2: {
          type: "oauth2",
          flows: { clientCredentials: { tokenUrl: `${issuer}/connect/token`, scopes: { [ADMIN_SCOPE]: "Administer Portcullis" } } },
        },
      },
      schemas: {
        UserFactors: {
          type: "object",
          properties: {
            username: { type: "string" },
            totp: {
              type: "object",
              properties: {
                enabled: { type: "boolean" },
                created_at: { type: ["string", "null"], format: "date-time" },
                last_used_at: { type: ["string", "null"], format: "date-time" },
              },
            },
            recovery_codes_left: { type: "integer" },
            passkeys: {
              type: "array",
              items: {
                type: "object",
                properties: {
                  id: { type: "string" },
                  name: { type: "string" },
                  created_at: { type: "string", format: "date-time" },
                  last_used_at: { type: ["string", "null"], format: "date-time" },
                },
              },
            },
          },
        },
        UserFactorsReset: {
          type: "object",
          properties: {
            username: { type: "string" },
            reset: {
              type: "object",
              properties: { totp: { type: "boolean" }, recoveryCodes: { type: "integer" }, passkeys: { type: "integer" } },
            },
          },
        },
        ClientInput: schema(clientAdminInput),
        Client: {
          allOf: [
            schema(clientAdminInput, "output"),
            {
              type: "object",
              properties: {
                secrets: { type: "array", items: ref("Secret") },
                created_at: { type: "string", format: "date-time" },
                updated_at: { type: "string", format: "date-time" },
                registered_dynamically: {
                  type: "boolean",
                  readOnly: true,
                  description:
                    "registered by the client at /connect/register (RFC 7591); it manages itself with its registration access token",
                },
              },
            },
          ],
        },
        ClientCreated: {
          type: "object",
          required: ["client"],
          properties: { client: ref("Client"), client_secret: { type: "string", description: "shown once" } },
        },
        ClientPage: {
          type: "object",
          properties: {
            items: { type: "array", items: ref("Client") },
            total: { type: "integer" },
            page: { type: "integer" },
            pageSize: { type: "integer" },
          },
        },
        NewSecret: schema(newSecretInput),
        ApiResourceInput: schema(apiResourceAdminInput),
        ApiResource: {
          allOf: [
            schema(apiResourceAdminInput, "output"),
            { type: "object", properties: { secrets: { type: "array", items: ref("Secret") } } },
          ],
        },
        IdentityResource: schema(identityResourceInput),
        UserInput: schema(userAdminInput),
        User: {
          type: "object",
          properties: {
            id: { type: "string" },
            username: { type: "string" },
            email: { type: ["string", "null"] },
            email_verified: { type: "boolean" },
            claims: { type: "object" },
            roles: { type: "array", items: { type: "string" } },
            locked: { type: "boolean" },
            locked_until: { type: ["string", "null"], format: "date-time" },
            last_login_at: { type: ["string", "null"], format: "date-time" },
            created_at: { type: "string", format: "date-time" },
          },
        },
        Password: schema(passwordInput),
        PortalSettings: schema(portalSettings, "output"),
        PortalSettingsUpdate: schema(portalSettingsUpdate),
        IdentityProviderInput: schema(identityProviderInput),
        IdentityProviderReplace: schema(identityProviderReplace),
        IdentityProviderPatch: schema(identityProviderPatch),
        IdentityProvider: {
          allOf: [
            schema(identityProviderFields.omit({ client_secret: true }), "output"),
            {
              type: "object",
              properties: {
                callback_url: { type: "string", readOnly: true, description: "the redirect URI to register at the provider" },
                created_at: { type: "string", format: "date-time" },
                updated_at: { type: "string", format: "date-time" },
              },
            },
          ],
        },
        IdentityProviderCheck: {
          type: "object",
          required: ["ok", "findings"],
          properties: {
            ok: { type: "boolean", description: "false when any finding is an error" },
            findings: {
              type: "array",
              items: {
                type: "object",
                required: ["level", "message"],
                properties: { level: { type: "string", enum: ["ok", "warning", "error", "info"] }, message: { type: "string" } },
              },
            },
          },
        },
        IdentityProviderList: { type: "object", properties: { items: { type: "array", items: ref("IdentityProvider") } } },
        Session: {
          type: "object",
          properties: {
            id: { type: "string" },
            user_id: { type: "string" },
            username: { type: "string" },
            auth_time: { type: "string", format: "date-time" },
            expires_at: { type: "string", format: "date-time" },
            clients: { type: "array", items: { type: "string" } },
          },
        },
        AuditEvent: {
          type: "object",
          properties: {
            id: { type: "string" },
            created_at: { type: "string", format: "date-time" },
            type: { type: "string" },
            actor: { type: ["string", "null"] },
            subject: { type: ["string", "null"] },
            client_id: { type: ["string", "null"] },
            details: {},
          },
        },
        Secret: {
          type: "object",
          properties: {
            id: { type: "string" },
            description: { type: ["string", "null"] },
            expiresAt: { type: ["string", "null"], format: "date-time" },
            createdAt: { type: "string", format: "date-time" },
          },
        },
        InitialAccessTokenInput: schema(initialAccessTokenInput),
        InitialAccessToken: {
          type: "object",
          properties: {
            id: { type: "string" },
            description: { type: ["string", "null"] },
            expires_at: { type: ["string", "null"], format: "date-time" },
            max_uses: { type: ["integer", "null"] },
            uses: { type: "integer" },
            revoked_at: { type: ["string", "null"], format: "date-time" },
            created_by: { type: ["string", "null"] },
            created_at: { type: "string", format: "date-time" },
          },
        },
        InitialAccessTokenList: { type: "object", properties: { items: { type: "array", items: ref("InitialAccessToken") } } },
        InitialAccessTokenIssued: {
          type: "object",
          properties: {
            token: ref("InitialAccessToken"),
            initial_access_token: { type: "string", description: "the bearer token for POST /connect/register; shown once" },
          },
        },
        SecretCreated: {
          type: "object",
          properties: { secret: ref("Secret"), client_secret: { type: "string", description: "shown once" } },
        },
        Error: {
          type: "object",
          properties: {
            error: {
              type: "object",
              required: ["code", "message"],
              properties: {
                code: { type: "string", enum: API_ERROR_CODES },
                message: { type: "string" },
                fields: { type: "array", items: { type: "object", properties: { path: { type: "string" }, message: { type: "string" } } } },
              },
            },
          },
        },
      },
    },
    paths: {
      ...Object.assign({}, ...ENTITIES.map(entityPaths)),
      "/users/{username}/lock": {
        parameters: [username],
        post: { summary: "Lock the user (and end their sessions)", operationId: "lockUser", responses: ok("locked", undefined, "204") },
        delete: { summary: "Unlock the user", operationId: "unlockUser", responses: ok("unlocked", undefined, "204") },
      },
      "/users/{username}/password": {
        parameters: [username],
        put: {
          summary: "Set the user's password",
          operationId: "setUserPassword",
          requestBody: body("Password"),
          responses: ok("set", undefined, "204"),
        },
      },
      "/users/{username}/sessions": {
        parameters: [username],
        delete: { summary: "Revoke all of the user's sessions", operationId: "revokeUserSessions", responses: ok("revoked") },
      },
      "/users/{username}/factors": {
        parameters: [username],
        get: {
          summary: "The user's sign-in factors: authenticator app, recovery codes left, passkeys (names and dates only)",
          operationId: "getUserFactors",
          responses: ok("the factors", "UserFactors"),
        },
      },
      "/users/{username}/factors/reset": {
        parameters: [username],
        post: {
          summary: "Reset the user's sign-in factors: deletes the authenticator app, recovery codes and passkeys, and mails the user",
          operationId: "resetUserFactors",
          responses: ok("what was removed", "UserFactorsReset"),
        },
      },
      "/users/{username}/external-logins/{id}": {
        parameters: [username, pathParam("id")],
        delete: { summary: "Unlink an external login", operationId: "removeExternalLogin", responses: ok("removed", undefined, "204") },
      },
      "/identity-providers/{id}/check": {
        parameters: [pathParam("id")],
        post: {
          summary:
            "Check a provider without signing in: its discovery document (issuer, endpoints, response type code, PKCE, scopes) and key set, or that an oauth2 provider's endpoints answer",
          operationId: "checkIdentityProvider",
          responses: ok("what is right and what is wrong, in plain words (a failed check is still 200)", "IdentityProviderCheck"),
        },
      },
      "/sessions": {
        get: {
          summary: "List active sessions; search matches the start of the username",
          operationId: "listSessions",
          parameters: listParams,
          responses: ok("a page of sessions"),
        },
      },
      "/sessions/{id}": {
        parameters: [pathParam("id")],
        delete: { summary: "Revoke a session", operationId: "revokeSession", responses: ok("revoked", undefined, "204") },
      },
      "/settings": {
        get: {
          summary: "The portal settings (sign-up, password policy, second factor)",
          operationId: "getSettings",
          responses: ok("the settings", "PortalSettings"),
        },
        put: {
          summary: "Change the portal settings: each key given replaces that key whole (absent fields take their defaults)",
          operationId: "updateSettings",
          requestBody: body("PortalSettingsUpdate"),
          responses: ok("the settings after the change", "PortalSettings"),
        },
      },
      "/initial-access-tokens": {
        get: {
          summary: "Initial access tokens for dynamic client registration (RFC 7591), newest first; never the tokens",
          operationId: "listInitialAccessTokens",
          responses: ok("the tokens", "InitialAccessTokenList"),
        },
        post: {
          summary: "Issue an initial access token, optionally expiring and limited to a number of registrations; returned once",
          operationId: "issueInitialAccessToken",
          requestBody: body("InitialAccessTokenInput"),
          responses: ok("issued", "InitialAccessTokenIssued", "201"),
        },
      },
      "/initial-access-tokens/{id}": {
        parameters: [pathParam("id")],
        delete: {
          summary: "Revoke an initial access token (the clients it registered stay)",
          operationId: "revokeInitialAccessToken",
          responses: ok("revoked", undefined, "204"),
        },
      },
      "/audit-events": {
        get: {
          summary: "Admin changes and security events, newest first",
          operationId: "listAuditEvents",
          parameters: [
            ...listParams.filter((p) => p.name !== "search"),
            ...["type", "actor", "subject", "client_id"].map((name) => ({ name, in: "query", schema: { type: "string" } })),
          ],
          responses: ok("a page of events"),
        },
      },
    },
  };
}
