import type { ProviderContext } from "../context";
import { CORS_HEADERS } from "../security-headers";
import { createMetadata } from "../discovery";
import { respond } from "./respond";

/** A public, cacheable JSON document, serialized once until what it shows changes. */
export interface PublicDocument {
  body: string;
  headers: Record<string, string>;
}

const JSON_TYPE = "application/json;charset=UTF-8";
const JWKS_TYPE = "application/jwk-set+json";
const memo = new WeakMap<object, PublicDocument>();

function document(ctx: ProviderContext, body: string, contentType: string): PublicDocument {
  return {
    body,
    headers: { "Content-Type": contentType, "Cache-Control": `public, max-age=${ctx.settings.metadataMaxAge}`, ...CORS_HEADERS },
  };
}

/** The metadata document; rebuilt when the cached resources (the only inputs that change) reload. */
export async function metadataDocument(ctx: ProviderContext): Promise<PublicDocument> {
  const [apis, identities] = await Promise.all([ctx.config.apiResources(), ctx.config.identityResources()]);
  const key = apis;
  const hit = memo.get(key);
  if (hit && memo.get(identities) === hit) return hit;
  const doc = document(ctx, JSON.stringify(await createMetadata(ctx)), JSON_TYPE);
  memo.set(apis, doc);
  memo.set(identities, doc);
  return doc;
}

/** The JWKS document; rebuilt when the published key set changes. */
export async function jwksDocument(ctx: ProviderContext): Promise<PublicDocument> {
  const set = await ctx.keys.jwks();
  const hit = memo.get(set);
  if (hit) return hit;
  const doc = document(ctx, JSON.stringify(set), JWKS_TYPE);
  memo.set(set, doc);
  return doc;
}

const toResponse = (doc: PublicDocument) => new Response(doc.body, { status: 200, headers: doc.headers });

/** OpenID Connect Discovery and RFC 8414 metadata (one document at both well-known paths). */
export function discovery(_req: Request, ctx: ProviderContext): Promise<Response> {
  return respond(ctx, "discovery", async () => toResponse(await metadataDocument(ctx)));
}

/** The JSON Web Key Set: next, current and retired public keys. @see https://www.rfc-editor.org/rfc/rfc7517#section-5 */
export function jwks(_req: Request, ctx: ProviderContext): Promise<Response> {
  return respond(ctx, "jwks", async () => toResponse(await jwksDocument(ctx)));
}
