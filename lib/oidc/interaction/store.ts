/**
 * Requests waiting for the user (sign-in, consent, logout confirmation).
 *
 * Rules:
 * - stored under the hash of a random id for settings.interactionLifetime; the pages name it by
 *   that id (at most 100 characters), so the database holds nothing a browser could replay;
 * - each request loads its interaction once and passes it on.
 */
import type { ValidatedAuthorizeRequest } from "../checks/authorize-request";
import { GrantRecordType } from "../constants";
import type { ProviderContext } from "../context";
import { randomHandle } from "../crypto";
import { findLive, recordKey, replaceRecord } from "../records";

export interface AuthorizeInteraction {
  type: "authorize";
  request: ValidatedAuthorizeRequest;
  createdAt: number;
  /** set by the consent page */
  consent?: { scopes: string[]; remember: boolean };
  denied?: boolean;
}

export interface LogoutInteraction {
  type: "logout";
  clientId?: string;
  postLogoutRedirectUri?: string;
  state?: string;
  createdAt: number;
}

/** After a logout: the clients' front-channel logout URLs to load, then where the browser goes. */
export interface FrontchannelInteraction {
  type: "frontchannel";
  frames: string[];
  next: string;
  createdAt: number;
}

/** The account area's re-authentication through an external sign-in: where to go back to (a local path). */
export interface AccountInteraction {
  type: "account";
  next: string;
  createdAt: number;
}

export type Interaction = AuthorizeInteraction | LogoutInteraction | AccountInteraction | FrontchannelInteraction;

export async function saveInteraction(ctx: ProviderContext, interaction: Interaction, id = randomHandle(24)): Promise<string> {
  await replaceRecord(ctx, {
    key: await recordKey.interaction(ctx, id),
    type: GrantRecordType.interaction,
    clientId:
      interaction.type === "authorize" ? interaction.request.clientId : interaction.type === "logout" ? (interaction.clientId ?? "") : "",
    subjectId: null,
    familyId: null,
    data: interaction,
    expiresAt: new Date(interaction.createdAt + ctx.settings.interactionLifetime * 1000),
    consumedAt: null,
  });
  return id;
}

export async function loadInteraction(ctx: ProviderContext, id: string | undefined): Promise<Interaction | null> {
  if (!id || id.length > 100) return null;
  return (await findLive(ctx, GrantRecordType.interaction, await recordKey.interaction(ctx, id)))?.data ?? null;
}

export async function loadAuthorizeInteraction(ctx: ProviderContext, id: string | undefined): Promise<AuthorizeInteraction | null> {
  const found = await loadInteraction(ctx, id);
  return found?.type === "authorize" ? found : null;
}

export async function removeInteraction(ctx: ProviderContext, id: string): Promise<void> {
  await ctx.stores.grants.removeGrant(await recordKey.interaction(ctx, id));
}
