/**
 * Authentication context classes: what a sign-in proved, as the `acr` claim says it, and what an
 * authorization request asks for with `acr_values` (OpenID Connect Core 3.1.2.1, 2).
 *
 * Rules:
 * - two classes: `urn:portcullis:acr:sfa` (one factor: a password or an external provider) and
 *   `urn:portcullis:acr:mfa` (a second factor after the password, or a passkey with user
 *   verification); a session is mfa exactly when its amr holds "mfa" (RFC 8176);
 * - acr_values is a list of preferences: a request needs mfa when it names mfa and not sfa
 *   (naming both accepts either); unknown values and "idp:<id>" are ignored, as Core allows;
 * - a client's require_mfa and the portal's "require a second factor" setting need mfa whatever
 *   the request says.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDToken
 * @see https://www.rfc-editor.org/rfc/rfc8176
 */
export const Acr = {
  singleFactor: "urn:portcullis:acr:sfa",
  multiFactor: "urn:portcullis:acr:mfa",
} as const;

export const ACR_VALUES_SUPPORTED: readonly string[] = [Acr.singleFactor, Acr.multiFactor];

/** RFC 8176 method names that the sign-in steps record in a session's amr. */
export const Amr = {
  password: "pwd",
  otp: "otp",
  hardwareKey: "hwk",
  softwareKey: "swk",
  userPresence: "user",
  multiFactor: "mfa",
  federated: "fed",
} as const;

/** The class a session's methods prove. */
export function acrOf(amr: readonly string[]): string {
  return amr.includes(Amr.multiFactor) ? Acr.multiFactor : Acr.singleFactor;
}

/** The known classes an acr_values parameter names, in its order. */
export function parseAcrValues(acrValues: string | undefined): string[] {
  return [...new Set((acrValues ?? "").split(" ").filter((v) => ACR_VALUES_SUPPORTED.includes(v)))];
}

/** Whether a request's acr_values leave nothing but a second factor. */
export function acrValuesNeedMfa(acrValues: readonly string[] | undefined): boolean {
  return Boolean(acrValues?.includes(Acr.multiFactor) && !acrValues.includes(Acr.singleFactor));
}
