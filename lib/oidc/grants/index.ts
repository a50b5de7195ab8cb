import { GrantType } from "../constants";
import { clientCredentials } from "./client-credentials";
import type { GrantHandler } from "./types";

/** Every grant type the token endpoint serves; discovery advertises exactly these. */
export function createGrantRegistry(): ReadonlyMap<string, GrantHandler> {
  return new Map<string, GrantHandler>([[GrantType.clientCredentials, clientCredentials]]);
}
