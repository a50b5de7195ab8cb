/** The admin REST API's OpenAPI 3.1 document, generated from the same zod schemas it validates with. */
import { z } from "zod";
import { newSecretInput } from "./clients";
import { clientAdminInput } from "../schemas/client";
import { ADMIN_SCOPE } from "./access";

const schema = (s: z.ZodType, io: "input" | "output" = "input") => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io, target: "draft-2020-12", unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const body = (name: string) => ({ required: true, content: { "application/json": { schema: ref(name) } } });
const ok = (description: string, name?: string, status = "200") => ({
  [status]: name ? { description, content: { "application/json": { schema: ref(name) } } } : { description },
  400: { description: "invalid fields", content: { "application/json": { schema: ref("Error") } } },
  401: { description: "no valid credentials" },
  403: { description: `no ${ADMIN_SCOPE} scope or admin role` },
  404: { description: "not found", content: { "application/json": { schema: ref("Error") } } },
});
const clientId = { name: "clientId", in: "path", required: true, schema: { type: "string" } };

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
        Secret: { type: "object", properties: { id: { type: "string" }, description: { type: ["string", "null"] }, expiresAt: { type: ["string", "null"], format: "date-time" }, createdAt: { type: "string", format: "date-time" } } },
        SecretCreated: { type: "object", properties: { secret: ref("Secret"), client_secret: { type: "string", description: "shown once" } } },
        Error: {
          type: "object",
          properties: {
            error: {
              type: "object", required: ["code", "message"],
              properties: {
                code: { type: "string", enum: ["validation_failed", "not_found", "unauthorized", "forbidden", "csrf_failed", "internal_error"] },
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
          parameters: [
            { name: "search", in: "query", schema: { type: "string" } },
            { name: "page", in: "query", schema: { type: "integer", minimum: 1 } },
            { name: "page_size", in: "query", schema: { type: "integer", minimum: 1, maximum: 100 } },
          ],
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
      "/clients/{clientId}/secrets/{secretId}": {
        parameters: [clientId, { name: "secretId", in: "path", required: true, schema: { type: "string" } }],
        delete: { summary: "Remove a secret", operationId: "removeClientSecret", responses: ok("removed", undefined, "204") },
      },
    },
  };
}
