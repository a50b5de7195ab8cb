/** What the device verification page and its action share (app/(interaction)/device). */

/** The CSRF purpose of the decision form: bound to the code the page showed. */
export function deviceFormPurpose(userCode: string): string {
  return `device:${userCode.toUpperCase().replace(/[\s-]/g, "").slice(0, 32)}`;
}

/** The page's messages, by the short codes the URL carries (never free text). */
export const DEVICE_MESSAGES = {
  format: "Enter the 8-letter code shown on your device, for example BCDF-GHJK.",
  unknown: "That code is not valid: it may have expired or been used already. Check the code on your device and try again.",
  throttled: "Too many codes tried. Wait a minute, then try again.",
  expired: "This form has expired. Check the code and confirm again.",
  incomplete: "The form was incomplete. Enter the code again.",
  signed_out: "Your session has ended. Sign in again to connect the device.",
  second_factor: "This application needs a second factor. Confirm it, then connect the device.",
} as const;

export type DeviceMessage = keyof typeof DEVICE_MESSAGES;

export function deviceMessage(code: string | undefined): string | undefined {
  return code && Object.hasOwn(DEVICE_MESSAGES, code) ? DEVICE_MESSAGES[code as DeviceMessage] : undefined;
}
