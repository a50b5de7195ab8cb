import type { Metadata } from "next";
import { LinkList } from "@/components/account/links";
import { myLinks } from "@/lib/account/service";
import { loginProviders } from "@/lib/auth/external";
import { accountUnlink } from "../actions";
import { AccountPage, AccountSignIn, accountFrame, type AccountSearch } from "../frame";

export const metadata: Metadata = { title: "Linked logins · Your account" };
export const dynamic = "force-dynamic";

export default async function LinksPage({ searchParams }: { searchParams: Promise<AccountSearch> }) {
  const search = await searchParams;
  const frame = await accountFrame();
  const providers = new Map((await loginProviders()).map((p) => [p.id, p.displayName]));
  const links =
    frame && (await myLinks(frame.runtime.provider, frame.runtime.account, frame.session, async (id) => providers.get(id) ?? null));
  if (!frame || !links) return <AccountSignIn next="/account/links" search={search} />;
  return (
    <AccountPage frame={frame} current="/account/links" search={search}>
      <LinkList hideHeading links={links} csrf={frame.csrf} unlink={accountUnlink} />
    </AccountPage>
  );
}
