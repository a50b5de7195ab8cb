import type { ProviderContext } from "../context";
import { createMetadata } from "../discovery";
import { jsonPublic } from "../http";
import { respond } from "./respond";

/** OpenID Connect Discovery and RFC 8414 metadata (one document at both well-known paths). */
export function discovery(_req: Request, ctx: ProviderContext): Promise<Response> {
  return respond(ctx, "discovery", async () => jsonPublic(await createMetadata(ctx), ctx.settings.metadataMaxAge));
}

/** The JSON Web Key Set: next, current and retired public keys. @see https://www.rfc-editor.org/rfc/rfc7517#section-5 */
export function jwks(_req: Request, ctx: ProviderContext): Promise<Response> {
  return respond(ctx, "jwks", async () => jsonPublic(await ctx.keys.jwks(), ctx.settings.metadataMaxAge, "application/jwk-set+json"));
}
