import type { Metadata } from "next";
import { SessionList } from "@/components/account/sessions";
import { mySessions } from "@/lib/account/service";
import { accountEndOtherSessions, accountEndSession } from "../actions";
import { AccountPage, AccountSignIn, accountFrame, type AccountSearch } from "../frame";

export const metadata: Metadata = { title: "Sessions · Your account" };
export const dynamic = "force-dynamic";

export default async function SessionsPage({ searchParams }: { searchParams: Promise<AccountSearch> }) {
  const search = await searchParams;
  const frame = await accountFrame();
  const sessions = frame && (await mySessions(frame.runtime.provider, frame.runtime.account, frame.session));
  if (!frame || !sessions) return <AccountSignIn next="/account/sessions" search={search} />;
  return (
    <AccountPage frame={frame} current="/account/sessions" search={search}>
      <SessionList hideHeading sessions={sessions} csrf={frame.csrf} endSession={accountEndSession} endOthers={accountEndOtherSessions} />
    </AccountPage>
  );
}
