/** The admin REST API's OpenAPI 3.1 document, generated from the same zod schemas it validates with. */
import { z } from "zod";
import { clientAdminInput } from "../schemas/client";
import { newSecretInput } from "../schemas/common";
import { apiResourceAdminInput, identityResourceInput } from "../schemas/resources";
import { passwordInput, userAdminInput } from "../schemas/user";
import { ADMIN_SCOPE } from "./access";
import { MAX_PAGE, MAX_PAGE_SIZE } from "./paging";

const schema = (s: z.ZodType, io: "input" | "output" = "input") => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io, target: "draft-2020-12", unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const body = (name: string) => ({ required: true, content: { "application/json": { schema: ref(name) } } });
const ok = (description: string, name?: string, status = "200") => ({
  [status]: name ? { description, content: { "application/json": { schema: ref(name) } } } : { description },
  400: { description: "invalid fields, a body that is not JSON or nests too deep, or a page out of range", content: { "application/json": { schema: ref("Error") } } },
  401: { description: "no valid credentials (a user's token also stops counting once the user is locked or deleted)" },
  403: { description: `no ${ADMIN_SCOPE} scope, or a user without the admin role at the time of the call` },
  404: { description: "not found", content: { "application/json": { schema: ref("Error") } } },
  413: { description: "the body is larger than PORTCULLIS_ADMIN_MAX_BODY (64 KiB by default)", content: { "application/json": { schema: ref("Error") } } },
  415: { description: "a body that is not application/json", content: { "application/json": { schema: ref("Error") } } },
});
const clientId = { name: "clientId", in: "path", required: true, schema: { type: "string" } };
const username = { name: "username", in: "path", required: true, schema: { type: "string" } };
const listParams = [
  { name: "search", in: "query", schema: { type: "string" } },
  { name: "page", in: "query", schema: { type: "integer", minimum: 1, maximum: MAX_PAGE }, description: "a page past the end has no items" },
  { name: "page_size", in: "query", schema: { type: "integer", minimum: 1, maximum: MAX_PAGE_SIZE, default: 25 } },
];

export function adminOpenApi(issuer: string): Record<string, unknown> {
  return {
    openapi: "3.1.0",
    info: { title: "Portcullis admin API", version: "1", description: "Every change here is audited; the console uses the same services and schemas." },
    servers: [{ url: `${issuer}/api/admin/v1` }],
    security: [{ oauth2: [ADMIN_SCOPE] }],
    components: {
      securitySchemes: {
        oauth2: { type: "oauth2", flows: { clientCredentials: { tokenUrl: `${issuer}/connect/token`, scopes: { [ADMIN_SCOPE]: "Administer Portcullis" } } } },
      },
      schemas: {
        ClientInput: schema(clientAdminInput),
        Client: {
          allOf: [schema(clientAdminInput, "output"), {
            type: "object",
            properties: {
              secrets: { type: "array", items: ref("Secret") },
              created_at: { type: "string", format: "date-time" },
              updated_at: { type: "string", format: "date-time" },
            },
          }],
        },
        ClientCreated: { type: "object", required: ["client"], properties: { client: ref("Client"), client_secret: { type: "string", description: "shown once" } } },
        ClientPage: { type: "object", properties: { items: { type: "array", items: ref("Client") }, total: { type: "integer" }, page: { type: "integer" }, pageSize: { type: "integer" } } },
        NewSecret: schema(newSecretInput),
        ApiResourceInput: schema(apiResourceAdminInput),
        ApiResource: { allOf: [schema(apiResourceAdminInput, "output"), { type: "object", properties: { secrets: { type: "array", items: ref("Secret") } } }] },
        IdentityResource: schema(identityResourceInput),
        UserInput: schema(userAdminInput),
        User: {
          type: "object",
          properties: {
            id: { type: "string" }, username: { type: "string" }, email: { type: ["string", "null"] }, email_verified: { type: "boolean" },
            claims: { type: "object" }, roles: { type: "array", items: { type: "string" } }, locked: { type: "boolean" },
            locked_until: { type: ["string", "null"], format: "date-time" }, last_login_at: { type: ["string", "null"], format: "date-time" }, created_at: { type: "string", format: "date-time" },
          },
        },
        Password: schema(passwordInput),
        Session: {
          type: "object",
          properties: { id: { type: "string" }, user_id: { type: "string" }, username: { type: "string" }, auth_time: { type: "string", format: "date-time" }, expires_at: { type: "string", format: "date-time" }, clients: { type: "array", items: { type: "string" } } },
        },
        AuditEvent: {
          type: "object",
          properties: { id: { type: "string" }, created_at: { type: "string", format: "date-time" }, type: { type: "string" }, actor: { type: ["string", "null"] }, subject: { type: ["string", "null"] }, client_id: { type: ["string", "null"] }, details: {} },
        },
        Secret: { type: "object", properties: { id: { type: "string" }, description: { type: ["string", "null"] }, expiresAt: { type: ["string", "null"], format: "date-time" }, createdAt: { type: "string", format: "date-time" } } },
        SecretCreated: { type: "object", properties: { secret: ref("Secret"), client_secret: { type: "string", description: "shown once" } } },
        Error: {
          type: "object",
          properties: {
            error: {
              type: "object", required: ["code", "message"],
              properties: {
                code: { type: "string", enum: ["validation_failed", "not_found", "unauthorized", "forbidden", "csrf_failed", "payload_too_large", "unsupported_media_type", "internal_error"] },
                message: { type: "string" },
                fields: { type: "array", items: { type: "object", properties: { path: { type: "string" }, message: { type: "string" } } } },
              },
            },
          },
        },
      },
    },
    paths: {
      "/clients": {
        get: {
          summary: "List and search clients", operationId: "listClients",
          parameters: listParams,
          responses: ok("a page of clients", "ClientPage"),
        },
        post: { summary: "Register a client; a confidential client's first secret is returned once", operationId: "createClient", requestBody: body("ClientInput"), responses: ok("created", "ClientCreated", "201") },
      },
      "/clients/{clientId}": {
        parameters: [clientId],
        get: { summary: "Get a client", operationId: "getClient", responses: ok("the client", "Client") },
        put: { summary: "Replace a client's settings (secrets are kept)", operationId: "updateClient", requestBody: body("ClientInput"), responses: ok("the client", "Client") },
        delete: { summary: "Delete a client", operationId: "deleteClient", responses: ok("deleted", undefined, "204") },
      },
      "/clients/{clientId}/secrets": {
        parameters: [clientId],
        post: { summary: "Generate another secret (rotation); returned once", operationId: "addClientSecret", requestBody: { content: { "application/json": { schema: ref("NewSecret") } } }, responses: ok("created", "SecretCreated", "201") },
      },
      "/api-resources": {
        get: { summary: "List API resources", operationId: "listApiResources", parameters: listParams, responses: ok("a page of API resources") },
        post: { summary: "Create an API resource with its scopes", operationId: "createApiResource", requestBody: body("ApiResourceInput"), responses: ok("created", "ApiResource", "201") },
      },
      "/api-resources/{name}": {
        parameters: [{ name: "name", in: "path", required: true, schema: { type: "string" }, description: "URL-encoded" }],
        get: { summary: "Get an API resource", operationId: "getApiResource", responses: ok("the API resource", "ApiResource") },
        put: { summary: "Replace an API resource (its scope list is taken whole)", operationId: "updateApiResource", requestBody: body("ApiResourceInput"), responses: ok("the API resource", "ApiResource") },
        delete: { summary: "Delete an API resource", operationId: "deleteApiResource", responses: ok("deleted", undefined, "204") },
      },
      "/api-resources/{name}/secrets": {
        parameters: [{ name: "name", in: "path", required: true, schema: { type: "string" } }],
        post: { summary: "Generate an introspection secret; returned once", operationId: "addApiResourceSecret", requestBody: { content: { "application/json": { schema: ref("NewSecret") } } }, responses: ok("created", undefined, "201") },
      },
      "/api-resources/{name}/secrets/{secretId}": {
        parameters: [{ name: "name", in: "path", required: true, schema: { type: "string" } }, { name: "secretId", in: "path", required: true, schema: { type: "string" } }],
        delete: { summary: "Remove an introspection secret", operationId: "removeApiResourceSecret", responses: ok("removed", undefined, "204") },
      },
      "/identity-resources": {
        get: { summary: "List identity resources", operationId: "listIdentityResources", responses: ok("identity resources") },
        post: { summary: "Create or update an identity resource", operationId: "saveIdentityResource", requestBody: body("IdentityResource"), responses: ok("saved", "IdentityResource", "201") },
      },
      "/identity-resources/{name}": {
        parameters: [{ name: "name", in: "path", required: true, schema: { type: "string" } }],
        delete: { summary: "Delete an identity resource", operationId: "deleteIdentityResource", responses: ok("deleted", undefined, "204") },
      },
      "/users": {
        get: { summary: "List users; search matches the start of username or email", operationId: "listUsers", parameters: listParams, responses: ok("a page of users") },
        post: { summary: "Create a user (the password is hashed with scrypt)", operationId: "createUser", requestBody: body("UserInput"), responses: ok("created", "User", "201") },
      },
      "/users/{username}": {
        parameters: [username],
        get: { summary: "Get a user with sessions, consents and external logins", operationId: "getUser", responses: ok("the user", "User") },
        put: { summary: "Replace a user's profile, roles and claims", operationId: "updateUser", requestBody: body("UserInput"), responses: ok("the user", "User") },
        delete: { summary: "Delete a user", operationId: "deleteUser", responses: ok("deleted", undefined, "204") },
      },
      "/users/{username}/lock": {
        parameters: [username],
        post: { summary: "Lock the user (and end their sessions)", operationId: "lockUser", responses: ok("locked", undefined, "204") },
        delete: { summary: "Unlock the user", operationId: "unlockUser", responses: ok("unlocked", undefined, "204") },
      },
      "/users/{username}/password": { parameters: [username], put: { summary: "Set the user's password", operationId: "setUserPassword", requestBody: body("Password"), responses: ok("set", undefined, "204") } },
      "/users/{username}/sessions": { parameters: [username], delete: { summary: "Revoke all of the user's sessions", operationId: "revokeUserSessions", responses: ok("revoked") } },
      "/users/{username}/external-logins/{id}": {
        parameters: [username, { name: "id", in: "path", required: true, schema: { type: "string" } }],
        delete: { summary: "Unlink an external login", operationId: "removeExternalLogin", responses: ok("removed", undefined, "204") },
      },
      "/sessions": { get: { summary: "List active sessions; search matches the start of the username", operationId: "listSessions", parameters: listParams, responses: ok("a page of sessions") } },
      "/sessions/{id}": { parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }], delete: { summary: "Revoke a session", operationId: "revokeSession", responses: ok("revoked", undefined, "204") } },
      "/audit-events": {
        get: {
          summary: "Admin changes and security events, newest first", operationId: "listAuditEvents",
          parameters: [...listParams.filter((p) => p.name !== "search"), ...["type", "actor", "subject", "client_id"].map((name) => ({ name, in: "query", schema: { type: "string" } }))],
          responses: ok("a page of events"),
        },
      },
      "/clients/{clientId}/secrets/{secretId}": {
        parameters: [clientId, { name: "secretId", in: "path", required: true, schema: { type: "string" } }],
        delete: { summary: "Remove a secret", operationId: "removeClientSecret", responses: ok("removed", undefined, "204") },
      },
    },
  };
}
