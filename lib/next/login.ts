/** The shared server side of the two sign-in forms (authorization interaction and account page). */
import { cookies } from "next/headers";
import { loginInput } from "../schemas/interaction";
import { getRuntime } from "../runtime";
import { INVALID_CREDENTIALS, THROTTLED, signInWithPassword } from "../auth/login";
import { checkFormToken } from "../auth/csrf";
import { sessionCookieOptions } from "../oidc";
import { browserCookies, clientMeta } from "./request";

const LAST_LOGIN = "portcullis.last-login";

export const LOGIN_ERRORS = {
  fields: "Enter your username or email and your password.",
  expired: "This form has expired. Reload the page and try again.",
  request: "This sign-in request has expired. Go back to the application and start again.",
} as const;

/**
 * Signs in from a submitted form; returns an error message, or null when a session was started.
 * `afterSignIn` runs with the new session's handle once the password is proven (the account link
 * of an external sign-in); its message, if any, is returned.
 */
export async function submitLogin(
  data: FormData,
  purpose: string,
  stillValid: () => Promise<boolean>,
  afterSignIn?: (handle: string) => Promise<string | null>,
): Promise<string | null> {
  const jar = await cookies();
  const typed = String(data.get("login") ?? "")
    .trim()
    .slice(0, 254);
  if (typed) jar.set(LAST_LOGIN, typed, { httpOnly: true, sameSite: "strict", path: "/", maxAge: 600 });
  const parsed = loginInput.safeParse(Object.fromEntries(data));
  if (!parsed.success) return LOGIN_ERRORS.fields;
  const { provider, accounts } = await getRuntime();
  const browser = await browserCookies();
  if (!(await checkFormToken(provider, browser.csrf, purpose, parsed.data.csrf))) return LOGIN_ERRORS.expired;
  if (!(await stillValid())) return LOGIN_ERRORS.request;
  const result = await signInWithPassword(provider, accounts, {
    login: parsed.data.login,
    password: parsed.data.password,
    previousHandle: browser.session,
    ...(await clientMeta()),
  });
  if (!result.ok) return result.message;
  const { name, ...options } = sessionCookieOptions(provider);
  jar.set(name, result.handle, options);
  jar.delete(LAST_LOGIN);
  return afterSignIn ? afterSignIn(result.handle) : null;
}

/** What the sign-in form shows again after a failed attempt. */
export async function lastLogin(): Promise<string> {
  return (await cookies()).get(LAST_LOGIN)?.value ?? "";
}

const MESSAGES: Record<string, string> = { ...LOGIN_ERRORS, invalid: INVALID_CREDENTIALS, throttled: THROTTLED };

/** Error messages travel as a short code in the URL, never as free text. */
export function errorCode(message: string): string {
  return Object.entries(MESSAGES).find(([, m]) => m === message)?.[0] ?? "invalid";
}

export function errorMessage(code: string | undefined): string | undefined {
  // Own keys only: ?error=__proto__ must not reach Object.prototype.
  return code && Object.hasOwn(MESSAGES, code) ? MESSAGES[code] : undefined;
}
