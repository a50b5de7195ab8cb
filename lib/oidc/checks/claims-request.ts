/**
 * The `claims` request parameter (OpenID Connect Core 5.5).
 *
 * Rules:
 * - at most 4,000 characters of JSON; an object whose only members are `userinfo` and `id_token`,
 *   each an object of at most 50 claim names, each null or an object with optional `essential`
 *   (boolean), `value` or `values` (an array of at most 20): anything else is invalid_request;
 * - it needs the openid scope (it asks for OpenID Connect claims);
 * - a claim is released only through an identity scope the client may ask for: naming a claim adds
 *   the identity scopes that release it to the request (so the consent page asks for them), and a
 *   claim no allowed identity scope releases is ignored, as 5.5 lets a server do with claims it
 *   does not grant; sub and the ID token's protocol claims need no scope;
 * - `acr` with `values` (or `value`) in id_token asks for those authentication classes, as
 *   acr_values does (acr_values wins when both are given).
 */
import { ID_TOKEN_PROTOCOL_CLAIMS, OPENID } from "../constants";
import { oauthError } from "../errors";
import type { IdentityResourceRecord } from "../ports";

/** What a validated claims parameter asks for, in the names the grant keeps. */
export interface ClaimsRequest {
  /** user claims to put into the ID token whatever the client's id_token_user_claims says */
  idToken: string[];
  /** the identity scopes the named claims need, added to the request's scopes */
  impliedScopes: string[];
  /** authentication classes from id_token.acr.values (or value) */
  acrValues: string[];
}

const MAX_LENGTH = 4000;
const MAX_CLAIMS = 50;
const MAX_VALUES = 20;

const invalid = (why: string) => oauthError.invalidRequest(`claims parameter ${why}`);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** @see https://openid.net/specs/openid-connect-core-1_0.html#ClaimsParameter */
export function parseClaimsRequest(
  raw: string,
  scopes: string[],
  allowedScopes: readonly string[],
  identityResources: IdentityResourceRecord[],
): ClaimsRequest {
  if (raw.length > MAX_LENGTH) throw invalid(`is longer than ${MAX_LENGTH} characters`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalid("must be a JSON object");
  }
  if (!isObject(parsed)) throw invalid("must be a JSON object");
  if (!scopes.includes(OPENID)) throw invalid("requires the openid scope");
  const members: Record<string, Record<string, unknown>> = {};
  for (const [member, value] of Object.entries(parsed)) {
    if (member !== "userinfo" && member !== "id_token") throw invalid(`member '${member}' is not supported`);
    if (!isObject(value)) throw invalid(`member '${member}' must be an object`);
    const names = Object.keys(value);
    if (names.length > MAX_CLAIMS) throw invalid(`member '${member}' names more than ${MAX_CLAIMS} claims`);
    for (const name of names) checkClaim(member, name, value[name]);
    members[member] = value;
  }

  const usable = identityResources.filter((r) => r.enabled && allowedScopes.includes(r.name));
  const scopeOf = (claim: string) => usable.find((r) => r.claims.includes(claim))?.name;
  const named = new Set([...Object.keys(members.userinfo ?? {}), ...Object.keys(members.id_token ?? {})]);
  const impliedScopes = [...new Set([...named].map(scopeOf).filter((s): s is string => s !== undefined))].filter(
    (s) => !scopes.includes(s),
  );
  const idToken = Object.keys(members.id_token ?? {}).filter((c) => c !== "sub" && !ID_TOKEN_PROTOCOL_CLAIMS.has(c) && scopeOf(c));
  const acr = members.id_token?.acr;
  const acrValues = isObject(acr) ? (Array.isArray(acr.values) ? acr.values : acr.value !== undefined ? [acr.value] : []) : [];
  return { idToken, impliedScopes, acrValues: acrValues.filter((v): v is string => typeof v === "string") };
}

function checkClaim(member: string, name: string, spec: unknown): void {
  if (name.length === 0 || name.length > 100) throw invalid(`names a claim of ${name.length} characters in '${member}'`);
  if (spec === null) return;
  if (!isObject(spec)) throw invalid(`claim '${name}' must be null or an object`);
  for (const key of Object.keys(spec))
    if (key !== "essential" && key !== "value" && key !== "values") throw invalid(`claim '${name}' has an unknown member '${key}'`);
  if (spec.essential !== undefined && typeof spec.essential !== "boolean") throw invalid(`claim '${name}' essential must be a boolean`);
  if (spec.values !== undefined && (!Array.isArray(spec.values) || spec.values.length > MAX_VALUES))
    throw invalid(`claim '${name}' values must be an array of at most ${MAX_VALUES}`);
  if (spec.value !== undefined && spec.values !== undefined) throw invalid(`claim '${name}' has both value and values`);
  if (JSON.stringify(spec).length > 1000) throw invalid(`claim '${name}' is too long`);
}
