import type { Metadata } from "next";
import { AuthShell } from "@/components/ui/auth-shell";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { DeviceConsent } from "@/components/interaction/device-consent";
import { formToken } from "@/lib/auth/csrf";
import { lookUpUserCode, Pages, sessionFromHandle } from "@/lib/oidc";
import { browserCookies, clientMeta } from "@/lib/next/request";
import { DEVICE_MESSAGES, deviceFormPurpose, deviceMessage } from "@/lib/next/device";
import { secondFactorUrl } from "@/lib/next/login";
import { safeNext } from "@/lib/account/service";
import { getRuntime } from "@/lib/runtime";
import { AccountSignIn, type AccountSearch } from "@/app/account/frame";
import { decideDevice } from "./actions";

export const metadata: Metadata = { title: "Connect a device" };
export const dynamic = "force-dynamic";

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const TITLE = "Connect a device";

/** RFC 8628 verification_uri: sign in, enter or confirm the device's code, approve or deny. */
export default async function DevicePage({ searchParams }: { searchParams: Promise<AccountSearch> }) {
  const search = await searchParams;
  const typed = (one(search.user_code) ?? "").slice(0, 32);
  // Where the sign-in comes back to: without spaces, which a local `next` may not hold.
  const here = typed ? `${Pages.device}?${new URLSearchParams({ user_code: typed.replace(/\s/g, "") })}` : Pages.device;
  const { provider } = await getRuntime();
  const browser = await browserCookies();
  const done = one(search.done);
  if (done === "approved" || done === "denied") {
    return (
      <AuthShell title={done === "approved" ? "Device connected" : "Request denied"}>
        <Alert tone="info">
          {done === "approved"
            ? "You can go back to your device: it will finish signing in by itself."
            : "The device was not given access. You can close this page."}
        </Alert>
      </AuthShell>
    );
  }
  if (!(await sessionFromHandle(provider, browser.session))) return <AccountSignIn next={safeNext(search.next, here)} search={search} />;
  const error = one(search.error);
  if (!typed || error === "format" || error === "unknown" || error === "throttled" || error === "incomplete") {
    return <EntryForm typed={typed} error={deviceMessage(error)} />;
  }
  const lookup = await lookUpUserCode(provider, typed, { sessionHandle: browser.session, ipAddress: (await clientMeta()).ipAddress });
  if (!lookup.ok && lookup.problem === "signed_out") return <AccountSignIn next={safeNext(search.next, here)} search={search} />;
  if (!lookup.ok) return <EntryForm typed={typed} error={DEVICE_MESSAGES[lookup.problem]} />;
  const { view } = lookup;
  const csrf = await formToken(provider, browser.csrf, deviceFormPurpose(view.userCode));
  return (
    <AuthShell
      title={`${view.client.name} wants access`}
      subtitle={
        <>
          Signed in as <strong className="font-semibold text-slate-900">{view.user.name}</strong>. Only continue if the code below is the
          one on your device.
        </>
      }
    >
      <p className="mb-5 rounded-lg bg-slate-100 px-4 py-3 text-center font-mono text-2xl tracking-widest" data-testid="user-code">
        {view.userCode}
      </p>
      {error && error !== "second_factor" ? (
        <div className="mb-4">
          <Alert>{deviceMessage(error) ?? DEVICE_MESSAGES.expired}</Alert>
        </div>
      ) : null}
      {view.needsSecondFactor ? (
        <div className="flex flex-col gap-4">
          <Alert tone="info">{DEVICE_MESSAGES.second_factor}</Alert>
          <a href={secondFactorUrl({ next: here })} className="text-center text-sm font-medium text-indigo-700 underline">
            Confirm with a second factor
          </a>
        </div>
      ) : (
        <DeviceConsent action={decideDevice} userCode={view.userCode} csrf={csrf} scopes={view.scopes} clientName={view.client.name} />
      )}
    </AuthShell>
  );
}

function EntryForm({ typed, error }: { typed: string; error?: string }) {
  return (
    <AuthShell title={TITLE} subtitle="Enter the code shown on your device.">
      <form method="get" action={Pages.device} className="flex flex-col gap-5">
        <Field
          id="user_code"
          name="user_code"
          label="Code"
          defaultValue={typed}
          error={error}
          autoComplete="one-time-code"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={32}
          placeholder="XXXX-XXXX"
          required
          autoFocus
        />
        <Button type="submit">Continue</Button>
      </form>
    </AuthShell>
  );
}
