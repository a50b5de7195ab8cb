/**
 * Consent: the one place that decides how each requested scope is shown and whether the user may
 * decline it.
 *
 * Rules:
 * - openid and scopes marked required cannot be declined; offline_access can;
 * - consent is needed when the client requires it and no remembered consent covers every
 *   requested scope, or with prompt=consent;
 * - a remembered consent is a grant (consent:<subject>:<client>) the user can revoke.
 */
import { GrantRecordType, OFFLINE_ACCESS, OPENID } from "../constants";
import type { ProviderContext } from "../context";
import type { ClientRecord, ScopeDisplay } from "../ports";
import { findLive, recordKey, replaceRecord } from "../records";

export interface ScopeView extends ScopeDisplay {
  name: string;
  kind: "identity" | "api" | "offline";
}

/** How each requested scope is shown, and whether the user may decline it. */
export async function consentScopes(ctx: ProviderContext, requested: string[]): Promise<ScopeView[]> {
  const identity = await ctx.config.identityResources();
  const apiScopes = (await ctx.config.apiResources()).flatMap((r) => r.scopes);
  return requested.map((name) => {
    if (name === OFFLINE_ACCESS)
      return {
        name,
        kind: "offline",
        displayName: "Offline access",
        description: "Stay connected when you are not using the application.",
        required: false,
        emphasize: true,
      };
    const id = identity.find((r) => r.name === name);
    const d = id ?? apiScopes.find((s) => s.name === name);
    return {
      name,
      kind: id ? "identity" : "api",
      displayName: d?.displayName ?? null,
      description: d?.description ?? null,
      required: name === OPENID || Boolean(d?.required),
      emphasize: Boolean(d?.emphasize),
    };
  });
}

/** The scopes granted when the user chose `chosen`: what they ticked plus what cannot be declined, in request order. */
export function grantedScopes(views: ScopeView[], chosen: string[]): string[] {
  return views.filter((v) => v.required || chosen.includes(v.name)).map((v) => v.name);
}

export async function rememberedScopes(ctx: ProviderContext, subject: string, client: ClientRecord): Promise<Set<string>> {
  const consent = await findLive(ctx, GrantRecordType.consent, recordKey.consent(subject, client.clientId));
  return new Set(consent?.data.scopes ?? []);
}

export async function rememberConsent(ctx: ProviderContext, subject: string, client: ClientRecord, scopes: string[]): Promise<void> {
  await replaceRecord(ctx, {
    key: recordKey.consent(subject, client.clientId),
    type: GrantRecordType.consent,
    clientId: client.clientId,
    subjectId: subject,
    familyId: null,
    data: { scopes },
    expiresAt: null,
    consumedAt: null,
  });
}
