import type { Metadata } from "next";
import { ProfileForm } from "@/components/account/profile-form";
import { myProfile } from "@/lib/account/service";
import { accountChangeEmail, accountSaveProfile } from "./actions";
import { EmailForm } from "@/components/account/email-form";
import { myPendingEmail } from "@/lib/account/email";
import { AccountPage, AccountSignIn, accountFrame, fieldErrorsOf, type AccountSearch } from "./frame";

export const metadata: Metadata = { title: "Your account" };
export const dynamic = "force-dynamic";

const when = (d: Date) => d.toISOString().replace("T", " ").slice(0, 16) + " UTC";

export default async function ProfilePage({ searchParams }: { searchParams: Promise<AccountSearch> }) {
  const search = await searchParams;
  const frame = await accountFrame();
  const profile = frame && (await myProfile(frame.runtime.provider, frame.session));
  if (!frame || !profile) return <AccountSignIn next={typeof search.next === "string" ? search.next : "/account"} search={search} />;
  const values = Object.fromEntries(
    Object.entries(search).flatMap(([k, v]) => (k.startsWith("v.") && typeof v === "string" ? [[k.slice(2), v.slice(0, 500)]] : [])),
  );
  const { session } = frame.view;
  return (
    <AccountPage frame={frame} current="/account" search={search}>
      <ProfileForm profile={profile} csrf={frame.csrf} save={accountSaveProfile} values={values} errors={fieldErrorsOf(search)} />
      <EmailForm
        csrf={frame.csrf}
        action={accountChangeEmail}
        pending={await myPendingEmail(frame.runtime.provider, frame.runtime.lifecycle, frame.session)}
        error={fieldErrorsOf(search).email}
      />
      <section aria-labelledby="session-heading" className="mt-10">
        <h2 id="session-heading" className="text-base font-semibold">
          This session
        </h2>
        <dl className="mt-3 grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
          <dt className="font-medium text-slate-500">Signed in</dt>
          <dd>{when(session.authTime)}</dd>
          <dt className="font-medium text-slate-500">Session ends</dt>
          <dd>{when(session.expiresAt)}</dd>
          <dt className="font-medium text-slate-500">Applications</dt>
          <dd>{session.clients.length ? session.clients.join(", ") : "none in this session"}</dd>
        </dl>
      </section>
    </AccountPage>
  );
}
