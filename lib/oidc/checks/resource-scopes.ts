/**
 * Which API scopes and audiences a token request gets (RFC 6749 section 3.3, RFC 8707).
 *
 * Rules:
 * - every requested scope names an enabled API scope of an enabled API resource and is in the
 *   client's allowed scopes, else invalid_scope; identity scopes (openid, profile, ...) are not
 *   API scopes;
 * - no scope requested: every allowed API scope of the client (of the requested resources, when
 *   resource is given);
 * - each resource is an absolute URI without a fragment naming an enabled API resource of which
 *   the client may have at least one scope, else invalid_target;
 * - with resource, a requested scope must belong to one of the requested resources, else invalid_scope;
 * - the result is never empty, else invalid_scope;
 * - the audience is the names of the resources the granted scopes belong to.
 */
import { oauthError } from "../errors";
import type { ApiResourceRecord, ClientRecord } from "../ports";

export interface ResourceGrant {
  scopes: string[];
  audiences: string[];
  resources: ApiResourceRecord[];
}

export function resolveResourceScopes(
  client: ClientRecord,
  apiResources: ApiResourceRecord[],
  requestedScopes: string[],
  requestedResources: string[],
): ResourceGrant {
  const allowed = new Set(client.allowedScopes);
  const owner = new Map<string, ApiResourceRecord>();
  for (const r of apiResources) {
    if (!r.enabled) continue;
    for (const s of r.scopes) if (s.enabled) owner.set(s.name, r);
  }

  const targets: ApiResourceRecord[] = [];
  for (const uri of requestedResources) {
    if (!isAbsoluteUriWithoutFragment(uri)) throw oauthError.invalidTarget("resource indicator must be an absolute URI without a fragment");
    const resource = apiResources.find((r) => r.name === uri && r.enabled);
    if (!resource) throw oauthError.invalidTarget(`unknown resource ${uri}`);
    if (!resource.scopes.some((s) => s.enabled && allowed.has(s.name)))
      throw oauthError.invalidTarget(`client is not allowed to access resource ${uri}`);
    targets.push(resource);
  }

  let scopes: string[];
  if (requestedScopes.length > 0) {
    for (const s of requestedScopes) {
      const r = owner.get(s);
      if (!r || !allowed.has(s)) throw oauthError.invalidScope(`requested scope is not allowed: ${s}`);
      if (targets.length && !targets.includes(r)) throw oauthError.invalidScope(`scope ${s} is not a scope of the requested resource`);
    }
    scopes = requestedScopes;
  } else {
    scopes = [...allowed].filter((s) => {
      const r = owner.get(s);
      return r && (targets.length === 0 || targets.includes(r));
    });
  }
  if (scopes.length === 0) throw oauthError.invalidScope("no scope requested and the client has no default scope");

  const resources = [...new Set(scopes.map((s) => owner.get(s)!))];
  return { scopes, audiences: resources.map((r) => r.name), resources };
}

function isAbsoluteUriWithoutFragment(value: string): boolean {
  if (value.includes("#")) return false;
  try {
    return /^[a-z][a-z0-9+.-]*:/i.test(value) && Boolean(new URL(value).protocol);
  } catch {
    return false;
  }
}
