/**
 * What the portal's interaction pages show and do: the login, consent and logout pages and their
 * actions call these (through lib/oidc's entry), and never read the store themselves. Each
 * function loads the interaction once.
 */
import { Paths } from "../constants";
import type { ProviderContext } from "../context";
import { confirmLogout } from "../logout";
import { sessionFromHandle } from "../session";
import { consentScopes } from "./consent";
import { recordConsentDecision } from "./flow";
import { loadAuthorizeInteraction, loadInteraction } from "./store";

export interface ClientView {
  name: string;
  logoUri: string | null;
  clientUri: string | null;
}

async function clientView(ctx: ProviderContext, clientId: string | undefined): Promise<ClientView | null> {
  const client = clientId ? await ctx.config.client(clientId) : null;
  return client ? { name: client.clientName, logoUri: client.logoUri, clientUri: client.clientUri } : null;
}

/** Where a page sends the browser to continue the authorization request. */
export function resumeUrl(ctx: ProviderContext, id: string): string {
  return `${ctx.settings.issuer}${Paths.authorizeResume}?interaction=${encodeURIComponent(id)}`;
}

export async function loginView(ctx: ProviderContext, id: string | undefined) {
  const interaction = await loadAuthorizeInteraction(ctx, id);
  if (!interaction) return null;
  return {
    client: await clientView(ctx, interaction.request.clientId),
    loginHint: interaction.request.loginHint ?? "",
    idpHint: interaction.request.idpHint,
  };
}

export async function consentView(ctx: ProviderContext, id: string | undefined, sessionHandle: string | undefined) {
  const interaction = await loadAuthorizeInteraction(ctx, id);
  const active = interaction && (await sessionFromHandle(ctx, sessionHandle));
  if (!interaction || !active) return null;
  const client = await ctx.config.client(interaction.request.clientId);
  return {
    client: client && { name: client.clientName, logoUri: client.logoUri, clientUri: client.clientUri },
    user: { name: (active.user.claims.name as string | undefined) ?? active.user.username },
    scopes: await consentScopes(ctx, interaction.request.scopes),
    allowRemember: client?.allowRememberConsent ?? false,
  };
}

/** Records the signed-in user's consent decision; returns where the browser goes next, or null. */
export async function decideConsent(
  ctx: ProviderContext,
  id: string,
  sessionHandle: string | undefined,
  decision: { allow: boolean; scopes: string[]; remember: boolean },
): Promise<string | null> {
  const interaction = await loadAuthorizeInteraction(ctx, id);
  if (!interaction || !(await sessionFromHandle(ctx, sessionHandle))) return null;
  await recordConsentDecision(ctx, id, interaction, decision);
  return resumeUrl(ctx, id);
}

export async function logoutView(ctx: ProviderContext, id: string | undefined) {
  const interaction = await loadInteraction(ctx, id);
  if (interaction?.type !== "logout") return null;
  return { client: await clientView(ctx, interaction.clientId) };
}

/** The logout page's confirmation: ends the confirming browser's session; returns where it goes next. */
export function completeLogout(ctx: ProviderContext, id: string, sessionHandle: string | undefined): Promise<string> {
  return confirmLogout(ctx, id, sessionHandle);
}
