import { authenticateClient } from "../client-auth/authenticate";
import { readCredentials } from "../client-auth/credentials";
import type { ProviderContext } from "../context";
import { oauthError } from "../errors";
import { jsonNoStore, readForm, requireParam } from "../http";
import { respond } from "./respond";

/**
 * The token endpoint: parse the body, authenticate the client, check the grant type is served
 * and allowed, run the grant.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2
 */
export function token(req: Request, ctx: ProviderContext): Promise<Response> {
  return respond(ctx, "token", async () => {
    // RFC 8707 resource and RFC 8693 audience may repeat.
    const form = await readForm(req, ["resource", "audience"]);
    const grantType = requireParam(form, "grant_type");
    const client = await authenticateClient(ctx, readCredentials(req, form), "token.client");
    const grant = ctx.grants.get(grantType);
    if (!grant) throw oauthError.unsupportedGrantType(`unsupported grant_type requested (${grantType.slice(0, 100)})`);
    if (!client.grantTypes.includes(grantType)) throw oauthError.unauthorizedClient("requested grant type is not allowed for this client");
    return jsonNoStore(await grant(ctx, { client, form }));
  });
}
