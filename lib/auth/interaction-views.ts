/**
 * What the login, consent and logout pages show and do. Pages and their actions call these;
 * none of them touches the database directly.
 */
import { OFFLINE_ACCESS, Paths } from "../oidc/constants";
import type { ProviderContext } from "../oidc";
import { timingSafeEqual } from "../oidc/crypto";
import { csrfToken, loadInteraction, saveInteraction, type AuthorizeInteraction } from "../oidc/interaction";
import { confirmLogout } from "../oidc/logout";
import { sessionFromHandle } from "../oidc/session";
import type { ScopeDisplay } from "../oidc/ports";

export interface ClientView { name: string; logoUri: string | null; clientUri: string | null }

export interface ScopeView extends ScopeDisplay { name: string; kind: "identity" | "api" | "offline" }

/** The CSRF token for a page's form: empty when the browser has no CSRF cookie. */
export async function formToken(ctx: ProviderContext, csrfCookie: string | undefined, purpose: string): Promise<string> {
  return csrfCookie ? csrfToken(ctx, csrfCookie, purpose) : "";
}

export async function checkFormToken(ctx: ProviderContext, csrfCookie: string | undefined, purpose: string, presented: string): Promise<boolean> {
  if (!csrfCookie || !presented) return false;
  return timingSafeEqual(await csrfToken(ctx, csrfCookie, purpose), presented);
}

async function authorizeInteraction(ctx: ProviderContext, id: string | undefined): Promise<AuthorizeInteraction | null> {
  const i = await loadInteraction(ctx, id);
  return i?.type === "authorize" ? i : null;
}

async function clientView(ctx: ProviderContext, clientId: string | undefined): Promise<ClientView | null> {
  const client = clientId ? await ctx.config.client(clientId) : null;
  return client ? { name: client.clientName, logoUri: client.logoUri, clientUri: client.clientUri } : null;
}

export function resumeUrl(ctx: ProviderContext, id: string): string {
  return `${ctx.settings.issuer}${Paths.authorizeResume}?interaction=${encodeURIComponent(id)}`;
}

export async function loginView(ctx: ProviderContext, id: string | undefined) {
  const interaction = await authorizeInteraction(ctx, id);
  if (!interaction) return null;
  return { client: await clientView(ctx, interaction.request.clientId), loginHint: interaction.request.loginHint ?? "" };
}

/** How each requested scope is shown, and whether the user may decline it. */
async function scopeViews(ctx: ProviderContext, requested: string[]): Promise<ScopeView[]> {
  const identity = await ctx.config.identityResources();
  const apiScopes = (await ctx.config.apiResources()).flatMap((r) => r.scopes);
  return requested.map((name) => {
    if (name === OFFLINE_ACCESS) return { name, kind: "offline", displayName: "Offline access", description: "Stay connected when you are not using the application.", required: false, emphasize: true };
    const id = identity.find((r) => r.name === name);
    const api = apiScopes.find((s) => s.name === name);
    const d = id ?? api;
    return {
      name, kind: id ? "identity" : "api", displayName: d?.displayName ?? null, description: d?.description ?? null,
      required: name === "openid" || Boolean(d?.required), emphasize: Boolean(d?.emphasize),
    };
  });
}

export async function consentView(ctx: ProviderContext, id: string | undefined, sessionHandle: string | undefined) {
  const interaction = await authorizeInteraction(ctx, id);
  const active = await sessionFromHandle(ctx, sessionHandle);
  if (!interaction || !active) return null;
  const client = await ctx.config.client(interaction.request.clientId);
  const scopes = await scopeViews(ctx, interaction.request.scopes);
  return {
    client: await clientView(ctx, interaction.request.clientId),
    user: { name: (active.user.claims.name as string | undefined) ?? active.user.username },
    scopes,
    allowRemember: client?.allowRememberConsent ?? false,
  };
}

/** Records the user's consent decision on the interaction; returns where the browser goes next. */
export async function decideConsent(ctx: ProviderContext, id: string, sessionHandle: string | undefined, decision: { allow: boolean; scopes: string[]; remember: boolean }): Promise<string | null> {
  const interaction = await authorizeInteraction(ctx, id);
  if (!interaction || !(await sessionFromHandle(ctx, sessionHandle))) return null;
  const required = (await scopeViews(ctx, interaction.request.scopes)).filter((s) => s.required).map((s) => s.name);
  const chosen = interaction.request.scopes.filter((s) => required.includes(s) || decision.scopes.includes(s));
  const next: AuthorizeInteraction = decision.allow
    ? { ...interaction, consent: { scopes: chosen, remember: decision.remember } }
    : { ...interaction, denied: true };
  await saveInteraction(ctx, next, id);
  return resumeUrl(ctx, id);
}

export async function logoutView(ctx: ProviderContext, id: string | undefined) {
  const interaction = await loadInteraction(ctx, id);
  if (interaction?.type !== "logout") return null;
  return { client: await clientView(ctx, interaction.clientId) };
}

/** Ends the session of the confirming browser; returns the Location to send it to. */
export async function completeLogout(ctx: ProviderContext, id: string, sessionHandle: string | undefined): Promise<string> {
  const response = await confirmLogout(ctx, id, sessionHandle);
  return response.headers.get("location")!;
}

