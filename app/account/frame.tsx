/** What every account page shares: the sign-in form when signed out, the shell when signed in. */
import type { ReactNode } from "react";
import { AuthShell } from "@/components/ui/auth-shell";
import { Button } from "@/components/ui/button";
import { LoginForm } from "@/components/interaction/login-form";
import { AccountShell, type AccountPagePath } from "@/components/account/shell";
import { accountView } from "@/lib/account/service";
import { ACCOUNT_NOTICES, FIELD_ERRORS, type AccountNotice } from "@/lib/schemas/account";
import { formToken } from "@/lib/auth/csrf";
import { browserCookies } from "@/lib/next/request";
import { errorMessage, lastLogin } from "@/lib/next/login";
import { getRuntime } from "@/lib/runtime";
import { PasskeySignIn } from "@/components/interaction/passkey-sign-in";
import { relyingParty } from "@/lib/auth/passkeys";
import { accountLogin, accountLogout } from "./actions";
import { accountPasskeySignIn, accountPasskeySignInOptions } from "./passkey-actions";

export type AccountSearch = Record<string, string | string[] | undefined>;

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const ERROR_NOTICES = new Set<AccountNotice>([
  "session_not_found",
  "app_not_found",
  "link_not_found",
  "expired_form",
  "last_login",
  "profile_invalid",
  "password_invalid",
  "password_exists",
  "passkey_not_found",
  "passkey_name_invalid",
]);

/** The page's `?notice=`: only known codes, never free text. */
export function noticeOf(search: AccountSearch) {
  const code = one(search.notice);
  if (!code || !Object.hasOwn(ACCOUNT_NOTICES, code)) return null;
  const said = code as AccountNotice;
  return { tone: ERROR_NOTICES.has(said) ? ("error" as const) : ("info" as const), text: ACCOUNT_NOTICES[said] };
}

/** `?errors=field:code,...` as messages by field (known codes only). */
export function fieldErrorsOf(search: AccountSearch): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (one(search.errors) ?? "").slice(0, 1000).split(",")) {
    const [field, code] = pair.split(":");
    if (field && code && Object.hasOwn(FIELD_ERRORS, code)) out[field] = FIELD_ERRORS[code as keyof typeof FIELD_ERRORS];
  }
  return out;
}

export interface Frame {
  runtime: Awaited<ReturnType<typeof getRuntime>>;
  session: string | undefined;
  csrfCookie: string | undefined;
  /** the CSRF token of the account area's forms */
  csrf: string;
  view: NonNullable<Awaited<ReturnType<typeof accountView>>>;
}

/** The signed-in frame of a page, or null (the service found no session): the page then shows AccountSignIn. */
export async function accountFrame(): Promise<Frame | null> {
  const runtime = await getRuntime();
  const browser = await browserCookies();
  const view = await accountView(runtime.provider, browser.session);
  if (!view) return null;
  const csrf = await formToken(runtime.provider, browser.csrf, "sessions:account");
  return { runtime, session: browser.session, csrfCookie: browser.csrf, csrf, view };
}

/** The account's own sign-in form (password), back to `next` afterwards. */
export async function AccountSignIn({ next, search }: { next: string; search: AccountSearch }) {
  const { provider } = await getRuntime();
  const browser = await browserCookies();
  const csrf = await formToken(provider, browser.csrf, "login:account");
  const error = one(search.error);
  return (
    <AuthShell title="Sign in to your account">
      <LoginForm
        action={accountLogin}
        interaction="account"
        csrf={csrf}
        login={error ? await lastLogin() : ""}
        error={errorMessage(error)}
        next={next}
        webauthn
      />
      <PasskeySignIn
        start={accountPasskeySignInOptions.bind(null, csrf)}
        finish={accountPasskeySignIn.bind(null, next, csrf)}
        rpOrigin={relyingParty(provider).origin}
      />
    </AuthShell>
  );
}

export async function AccountPage({
  frame,
  current,
  search,
  children,
}: {
  frame: Frame;
  current: AccountPagePath;
  search: AccountSearch;
  children: ReactNode;
}) {
  const logoutCsrf = await formToken(frame.runtime.provider, frame.csrfCookie, "logout:account");
  const signOut = (
    <form action={accountLogout}>
      <input type="hidden" name="interaction" value="account" />
      <input type="hidden" name="csrf" value={logoutCsrf} />
      <Button type="submit" variant="secondary">
        Sign out
      </Button>
    </form>
  );
  return (
    <AccountShell
      current={current}
      name={frame.view.user.name}
      username={frame.view.user.username}
      signOut={signOut}
      notice={noticeOf(search)}
    >
      {children}
    </AccountShell>
  );
}
