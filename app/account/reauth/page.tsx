import type { Metadata } from "next";
import { AuthShell } from "@/components/ui/auth-shell";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { reauthView, safeNext } from "@/lib/account/service";
import { externalErrorMessage, loginProviders } from "@/lib/auth/external";
import { accountReauthenticate, accountReauthenticateExternal } from "../actions";
import { AccountSignIn, accountFrame, fieldErrorsOf, noticeOf, type AccountSearch } from "../frame";

export const metadata: Metadata = { title: "Confirm it is you · Your account" };
export const dynamic = "force-dynamic";

/**
 * Asks the signed-in person to prove again who they are before a sensitive action: the password
 * of this account (the username is shown, not asked), or a fresh sign-in at a linked provider.
 */
export default async function ReauthPage({ searchParams }: { searchParams: Promise<AccountSearch> }) {
  const search = await searchParams;
  const next = safeNext(search.next);
  const frame = await accountFrame();
  const view = frame && (await reauthView(frame.runtime.provider, frame.runtime.account, frame.session));
  if (!frame || !view) return <AccountSignIn next={next} search={search} />;
  const providers = (await loginProviders()).filter((p) => view.linkedProviders.includes(p.id));
  const errors = fieldErrorsOf(search);
  const said = noticeOf(search);
  const upstreamError = externalErrorMessage(typeof search.external_error === "string" ? search.external_error : undefined);
  return (
    <AuthShell title="Confirm it is you" subtitle="This action needs a recent sign-in. Sign in again, then repeat it.">
      <div className="flex flex-col gap-5">
        {said ? <Alert tone={said.tone}>{said.text}</Alert> : null}
        {upstreamError ? <Alert>{upstreamError}</Alert> : null}
        {view.hasPassword ? (
          <form action={accountReauthenticate} noValidate className="flex flex-col gap-5">
            <input type="hidden" name="csrf" value={frame.csrf} />
            <input type="hidden" name="next" value={next} />
            {/* For password managers; the person sees the name below and cannot change it. */}
            <input type="text" name="username" value={view.username} autoComplete="username" readOnly hidden />
            <p className="text-sm text-slate-600">
              Signed in as <strong className="font-semibold text-slate-900">{view.username}</strong>
            </p>
            <Field
              id="reauth-password"
              name="password"
              type="password"
              label="Password"
              autoComplete="current-password"
              autoFocus
              error={errors.password}
            />
            <Button type="submit">Confirm</Button>
          </form>
        ) : (
          <p className="text-sm text-slate-600">
            Signed in as <strong className="font-semibold text-slate-900">{view.username}</strong>.
          </p>
        )}
        {providers.length ? (
          <ul className="flex flex-col gap-2" aria-label="Confirm with a linked login">
            {providers.map((p) => (
              <li key={p.id}>
                <form action={accountReauthenticateExternal}>
                  <input type="hidden" name="csrf" value={frame.csrf} />
                  <input type="hidden" name="next" value={next} />
                  <input type="hidden" name="provider" value={p.id} />
                  <Button type="submit" variant="secondary" className="w-full sm:w-full">
                    Continue with {p.displayName}
                  </Button>
                </form>
              </li>
            ))}
          </ul>
        ) : null}
        {!view.hasPassword && providers.length === 0 ? (
          <Alert>Your account has no password and no enabled linked login. Ask your administrator for help.</Alert>
        ) : null}
        <p className="text-center text-sm">
          <a href={next.split("?")[0]} className="font-medium text-indigo-700 hover:underline">
            Cancel
          </a>
        </p>
      </div>
    </AuthShell>
  );
}
