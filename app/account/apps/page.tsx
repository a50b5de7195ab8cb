import type { Metadata } from "next";
import { AppList } from "@/components/account/apps";
import { myApps } from "@/lib/account/service";
import { accountRevokeApp } from "../actions";
import { AccountPage, AccountSignIn, accountFrame, type AccountSearch } from "../frame";

export const metadata: Metadata = { title: "Apps · Your account" };
export const dynamic = "force-dynamic";

export default async function AppsPage({ searchParams }: { searchParams: Promise<AccountSearch> }) {
  const search = await searchParams;
  const frame = await accountFrame();
  const apps = frame && (await myApps(frame.runtime.provider, frame.runtime.account, frame.session));
  if (!frame || !apps) return <AccountSignIn next="/account/apps" search={search} />;
  return (
    <AccountPage frame={frame} current="/account/apps" search={search}>
      <AppList hideHeading apps={apps} csrf={frame.csrf} revoke={accountRevokeApp} />
    </AccountPage>
  );
}
