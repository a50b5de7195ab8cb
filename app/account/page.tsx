import type { Metadata } from "next";
import { AuthShell } from "@/components/ui/auth-shell";
import { Button } from "@/components/ui/button";
import { LoginForm } from "@/components/interaction/login-form";
import { Alert } from "@/components/ui/alert";
import { SessionList } from "@/components/account/sessions";
import { AppList } from "@/components/account/apps";
import { LinkList } from "@/components/account/links";
import { LINK_FORM_PURPOSE, externalErrorMessage, externalLinkUrl, loginProviders } from "@/lib/auth/external";
import { accountView, myApps, myLinkOptions, myLinks, mySessions } from "@/lib/account/service";
import { ACCOUNT_NOTICES } from "@/lib/schemas/account";
import { formToken } from "@/lib/auth/csrf";
import { browserCookies } from "@/lib/next/request";
import { errorMessage, lastLogin } from "@/lib/next/login";
import { getRuntime } from "@/lib/runtime";
import { accountEndOtherSessions, accountEndSession, accountLogin, accountLogout, accountRevokeApp, accountUnlink } from "./actions";

export const metadata: Metadata = { title: "Your account" };
export const dynamic = "force-dynamic";

const when = (d: Date) => d.toISOString().replace("T", " ").slice(0, 16) + " UTC";

export default async function AccountPage({
  searchParams,
}: {
  searchParams: Promise<{ error?: string; next?: string; notice?: string; link_error?: string }>;
}) {
  const { error, next, notice, link_error } = await searchParams;
  const { provider, account } = await getRuntime();
  const browser = await browserCookies();
  const view = await accountView(provider, browser.session);
  if (!view) {
    const csrf = await formToken(provider, browser.csrf, "login:account");
    return (
      <AuthShell title="Sign in to your account">
        <LoginForm
          action={accountLogin}
          interaction="account"
          csrf={csrf}
          login={error ? await lastLogin() : ""}
          error={errorMessage(error)}
          next={next}
        />
      </AuthShell>
    );
  }
  const csrf = await formToken(provider, browser.csrf, "logout:account");
  const sessions = (await mySessions(provider, account, browser.session)) ?? [];
  const apps = (await myApps(provider, account, browser.session)) ?? [];
  const enabled = await loginProviders();
  const providers = new Map(enabled.map((p) => [p.id, p.displayName]));
  const links = (await myLinks(provider, account, browser.session, async (id) => providers.get(id) ?? null)) ?? [];
  const linkOptions = (await myLinkOptions(provider, account, browser.session, enabled)) ?? [];
  const sessionsCsrf = await formToken(provider, browser.csrf, "sessions:account");
  const linkCsrf = await formToken(provider, browser.csrf, LINK_FORM_PURPOSE);
  const said = notice && Object.hasOwn(ACCOUNT_NOTICES, notice) ? (notice as keyof typeof ACCOUNT_NOTICES) : null;
  const linkError = externalErrorMessage(link_error);
  return (
    <AuthShell title={`Hello, ${view.user.name}`} subtitle="Your Portcullis account">
      {said ? (
        <div className="mb-4">
          <Alert tone={said.endsWith("not_found") || said === "expired_form" || said === "last_login" ? "error" : "info"}>
            {ACCOUNT_NOTICES[said]}
          </Alert>
        </div>
      ) : null}
      {linkError ? (
        <div className="mb-4">
          <Alert tone="error">{linkError}</Alert>
        </div>
      ) : null}
      <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="font-medium text-slate-500">Username</dt>
        <dd data-testid="account-username">{view.user.username}</dd>
        <dt className="font-medium text-slate-500">Email</dt>
        <dd className="break-all">{view.user.email ?? "none"}</dd>
        <dt className="font-medium text-slate-500">Signed in</dt>
        <dd>{when(view.session.authTime)}</dd>
        <dt className="font-medium text-slate-500">Session ends</dt>
        <dd>{when(view.session.expiresAt)}</dd>
        <dt className="font-medium text-slate-500">Applications</dt>
        <dd>{view.session.clients.length ? view.session.clients.join(", ") : "none in this session"}</dd>
      </dl>
      <form action={accountLogout} className="mt-6 flex justify-end">
        <input type="hidden" name="interaction" value="account" />
        <input type="hidden" name="csrf" value={csrf} />
        <Button type="submit" variant="secondary">
          Sign out
        </Button>
      </form>
      <SessionList sessions={sessions} csrf={sessionsCsrf} endSession={accountEndSession} endOthers={accountEndOtherSessions} />
      <AppList apps={apps} csrf={sessionsCsrf} revoke={accountRevokeApp} />
      <LinkList
        links={links}
        csrf={sessionsCsrf}
        unlink={accountUnlink}
        options={linkOptions}
        linkAction={externalLinkUrl()}
        linkCsrf={linkCsrf}
      />
    </AuthShell>
  );
}
