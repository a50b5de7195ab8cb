/**
 * Subject identifiers (OpenID Connect Core 8): what `sub` a client sees for a user.
 *
 * Rules:
 * - a public client sees the user's id;
 * - a pairwise client sees HMAC-SHA-256(salt, sector "\n" user id), base64url: stable for the
 *   user and the sector, different across sectors, and not reversible without the salt;
 * - the sector is the client's sector_identifier (portcullis.sector_identifier, set by an
 *   administrator to share identifiers among clients) or else the host of its redirect URIs,
 *   which must then all share one host (lib/schemas/client.ts checks it);
 * - the salt is PORTCULLIS_PAIRWISE_SALT, or else derived from the server secret: changing the
 *   one in use changes every pairwise identifier.
 */
import type { ProviderContext } from "./context";
import type { ClientRecord } from "./ports";

export const SubjectType = { public: "public", pairwise: "pairwise" } as const;
export const SUBJECT_TYPES = [SubjectType.public, SubjectType.pairwise] as const;
export type SubjectTypeName = (typeof SUBJECT_TYPES)[number];

/** The sector of a pairwise client: its sector identifier, else its redirect URIs' one host. */
export function sectorOf(client: Pick<ClientRecord, "sectorIdentifier" | "redirectUris">): string {
  if (client.sectorIdentifier) return client.sectorIdentifier;
  const first = client.redirectUris[0];
  return first && URL.canParse(first) ? new URL(first).host : "";
}

/** The `sub` the client sees for the user `userId`. */
export async function subjectFor(
  ctx: Pick<ProviderContext, "pairwise">,
  client: Pick<ClientRecord, "subjectType" | "sectorIdentifier" | "redirectUris">,
  userId: string,
): Promise<string> {
  return client.subjectType === SubjectType.pairwise ? ctx.pairwise(`${sectorOf(client)}\n${userId}`) : userId;
}
