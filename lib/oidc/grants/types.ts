import type { VerifiedDpopProof } from "../checks/dpop";
import type { TokenTypeName } from "../constants";
import type { ProviderContext } from "../context";
import type { ClientRecord } from "../ports";

/** The successful token response body (RFC 6749 section 5.1): wire names. */
export interface TokenResponseBody {
  access_token: string;
  /** RFC 8693 2.2.1: the type of the token issued by a token exchange */
  issued_token_type?: string;
  /** DPoP when the access token is bound to the request's DPoP key (RFC 9449 5) */
  token_type: TokenTypeName;
  expires_in: number;
  scope?: string;
  refresh_token?: string;
  id_token?: string;
}

/** A token request whose client is authenticated and allowed the grant type. */
export interface ValidatedClientRequest {
  client: ClientRecord;
  form: Map<string, string[]>;
  /** the request's verified DPoP proof: the tokens issued are bound to its key */
  dpop?: VerifiedDpopProof;
}

export type GrantHandler = (ctx: ProviderContext, request: ValidatedClientRequest) => Promise<TokenResponseBody>;
