/** Passkey inputs: shape and limits, shared by the account's forms and server actions. */
import { z } from "zod";

export const PASSKEY_NAME_MAX = 60;
/** A browser's WebAuthn answer is a few kilobytes; anything far larger is not one. */
export const WEBAUTHN_RESPONSE_MAX = 64 * 1024;

export const passkeyNameInput = z
  .string()
  .trim()
  .max(PASSKEY_NAME_MAX, `A passkey name has at most ${PASSKEY_NAME_MAX} characters.`)
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), "A passkey name cannot contain control characters.");

export const passkeyIdInput = z.string().min(1).max(100);

/** The JSON a browser's startRegistration/startAuthentication resolved to: the fields the server reads. */
export const webauthnResponseInput = z.looseObject({
  id: z.string().min(1).max(1024),
  rawId: z.string().min(1).max(1024),
  type: z.literal("public-key"),
  response: z.looseObject({ clientDataJSON: z.string().max(WEBAUTHN_RESPONSE_MAX) }),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
});
