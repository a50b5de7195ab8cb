import { authenticateClient } from "../client-auth/authenticate";
import { readCredentials } from "../client-auth/credentials";
import { dpopError, dpopHeaderOf, verifyDpopProof, type VerifiedDpopProof } from "../checks/dpop";
import type { ProviderContext } from "../context";
import { oauthError } from "../errors";
import { jsonNoStore, readForm, requireParam } from "../http";
import type { ClientRecord } from "../ports";
import { dpopAlgorithmsFor, requiresDpop } from "../profiles";
import { respond } from "./respond";

/**
 * The token endpoint: parse the body, authenticate the client, check the grant type is served
 * and allowed, check the DPoP proof, run the grant.
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
    const dpop = await tokenRequestProof(ctx, req, client);
    return jsonNoStore(await grant(ctx, { client, form, dpop }));
  });
}

/**
 * The token request's DPoP proof, verified (RFC 9449 5); none without a DPoP header, which a
 * client registered with dpop_bound_access_tokens, or whose profile asks for it, may not omit (RFC 9449 5.2).
 */
async function tokenRequestProof(ctx: ProviderContext, req: Request, client: ClientRecord): Promise<VerifiedDpopProof | undefined> {
  const proof = dpopHeaderOf(req, "token");
  if (proof === undefined) {
    if (requiresDpop(client)) throw dpopError("token", "DPoP proof is required for this client");
    return undefined;
  }
  return verifyDpopProof(ctx, req, proof, { url: ctx.urls.token, at: "token", algorithms: dpopAlgorithmsFor(client) });
}
