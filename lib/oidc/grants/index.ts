import { GrantType } from "../constants";
import { authorizationCode } from "./authorization-code";
import { clientCredentials } from "./client-credentials";
import { deviceCode } from "./device-code";
import { refreshToken } from "./refresh-token";
import { tokenExchange } from "./token-exchange";
import type { GrantHandler } from "./types";

/** Every grant type the token endpoint serves; discovery advertises exactly these. */
export function createGrantRegistry(): ReadonlyMap<string, GrantHandler> {
  return new Map<string, GrantHandler>([
    [GrantType.authorizationCode, authorizationCode],
    [GrantType.clientCredentials, clientCredentials],
    [GrantType.refreshToken, refreshToken],
    [GrantType.deviceCode, deviceCode],
    [GrantType.tokenExchange, tokenExchange],
  ]);
}
