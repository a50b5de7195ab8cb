/**
 * The `sub` a client sees for a user: ID tokens, access tokens and logout tokens all take it from
 * here, so a change of subject type (pairwise) applies to each of them at once.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#SubjectIDTypes
 */
import type { ClientRecord } from "../ports";

/** Public subject identifiers: the user's id. */
export function subjectFor(_client: Pick<ClientRecord, "clientId">, userId: string): string {
  return userId;
}
