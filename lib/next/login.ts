/** The shared server side of the two sign-in forms (authorization interaction and account page). */
import { cookies } from "next/headers";
import { loginInput } from "../schemas/interaction";
import { getRuntime } from "../runtime";
import { EMAIL_NOT_VERIFIED, INVALID_CREDENTIALS, THROTTLED, signInWithPassword } from "../auth/login";
import { timingSafeEqual, type ProviderContext } from "../oidc";
import { checkFormToken } from "../auth/csrf";
import { Pages, sessionCookieOptions } from "../oidc";
import { PENDING_COOKIE, PENDING_LIFETIME, SIGN_IN_EXPIRED, WRONG_CODE } from "../auth/factors";
import { browserCookies, clientMeta } from "./request";

const LAST_LOGIN = "portcullis.last-login";
/** Who proved their password but must confirm their email first: the resend form's user (signed, 15 min). */
const UNVERIFIED = "portcullis.unverified";
const UNVERIFIED_SECONDS = 900;

export const LOGIN_ERRORS = {
  fields: "Enter your username or email and your password.",
  expired: "This form has expired. Reload the page and try again.",
  request: "This sign-in request has expired. Go back to the application and start again.",
} as const;

/** submitLogin's answer when the password was right and the second-factor page comes next. */
export const SECOND_FACTOR: unique symbol = Symbol("second_factor");

/** The second-factor page, continuing an authorization request or going back to a local path. */
export function secondFactorUrl(to: { interaction: string } | { next: string }): string {
  return `${Pages.mfa}?${new URLSearchParams(to)}`;
}

/**
 * Signs in from a submitted form; returns an error message, null when a session was started, or
 * SECOND_FACTOR when the password was right and a pending sign-in waits for the second factor
 * (its handle is in the PENDING_COOKIE, and no session was started: `afterSignIn` does not run).
 * `afterSignIn` runs with the new session's handle once the password is proven (the account link
 * of an external sign-in); its message, if any, is returned.
 */
export async function submitLogin(
  data: FormData,
  purpose: string,
  stillValid: () => Promise<boolean>,
  afterSignIn?: (handle: string) => Promise<string | null>,
): Promise<string | null | typeof SECOND_FACTOR> {
  const jar = await cookies();
  const typed = String(data.get("login") ?? "")
    .trim()
    .slice(0, 254);
  if (typed) jar.set(LAST_LOGIN, typed, { httpOnly: true, sameSite: "strict", path: "/", maxAge: 600 });
  const parsed = loginInput.safeParse(Object.fromEntries(data));
  if (!parsed.success) return LOGIN_ERRORS.fields;
  const { provider, accounts, factors } = await getRuntime();
  const browser = await browserCookies();
  if (!(await checkFormToken(provider, browser.csrf, purpose, parsed.data.csrf))) return LOGIN_ERRORS.expired;
  if (!(await stillValid())) return LOGIN_ERRORS.request;
  const result = await signInWithPassword(
    provider,
    accounts,
    {
      login: parsed.data.login,
      password: parsed.data.password,
      previousHandle: browser.session,
      ...(await clientMeta()),
    },
    undefined,
    (userId) => factors.hasSecondFactor(userId),
  );
  if (!result.ok) {
    if (result.unverified) {
      const value = `${result.unverified}.${Math.floor(provider.now() / 1000) + UNVERIFIED_SECONDS}`;
      jar.set(UNVERIFIED, `${value}.${await provider.sign(`unverified:${value}`)}`, {
        httpOnly: true,
        sameSite: "strict",
        path: "/",
        maxAge: UNVERIFIED_SECONDS,
      });
    }
    return result.message;
  }
  const { name, ...options } = sessionCookieOptions(provider);
  if (result.step === "second_factor") {
    jar.set(PENDING_COOKIE, result.pending, { ...options, maxAge: PENDING_LIFETIME });
    jar.delete(LAST_LOGIN);
    return SECOND_FACTOR;
  }
  jar.set(name, result.handle, options);
  jar.delete(LAST_LOGIN);
  return afterSignIn ? afterSignIn(result.handle) : null;
}

/** What the sign-in form shows again after a failed attempt. */
export async function lastLogin(): Promise<string> {
  return (await cookies()).get(LAST_LOGIN)?.value ?? "";
}

/** The user of this browser's unverified sign-in (the cookie above), while it lasts. */
export async function unverifiedUser(provider: ProviderContext): Promise<string | null> {
  const raw = (await cookies()).get(UNVERIFIED)?.value ?? "";
  const [id, exp, sig] = raw.split(".");
  if (!id || !exp || !sig || Number(exp) * 1000 <= provider.now()) return null;
  return timingSafeEqual(await provider.sign(`unverified:${id}.${exp}`), sig) ? id : null;
}

const MESSAGES: Record<string, string> = {
  ...LOGIN_ERRORS,
  invalid: INVALID_CREDENTIALS,
  throttled: THROTTLED,
  wrong_code: WRONG_CODE,
  sign_in_expired: SIGN_IN_EXPIRED,
  unverified: EMAIL_NOT_VERIFIED,
};

/** Error messages travel as a short code in the URL, never as free text. */
export function errorCode(message: string): string {
  return Object.entries(MESSAGES).find(([, m]) => m === message)?.[0] ?? "invalid";
}

export function errorMessage(code: string | undefined): string | undefined {
  // Own keys only: ?error=__proto__ must not reach Object.prototype.
  return code && Object.hasOwn(MESSAGES, code) ? MESSAGES[code] : undefined;
}
