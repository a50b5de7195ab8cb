import type { Metadata } from "next";
import { LinkList } from "@/components/account/links";
import { Alert } from "@/components/ui/alert";
import { myLinkOptions, myLinks } from "@/lib/account/service";
import { LINK_FORM_PURPOSE, externalErrorMessage, externalLinkUrl, loginProviders } from "@/lib/auth/external";
import { formToken } from "@/lib/auth/csrf";
import { accountUnlink } from "../actions";
import { AccountPage, AccountSignIn, accountFrame, type AccountSearch } from "../frame";

export const metadata: Metadata = { title: "Linked logins · Your account" };
export const dynamic = "force-dynamic";

export default async function LinksPage({ searchParams }: { searchParams: Promise<AccountSearch> }) {
  const search = await searchParams;
  const frame = await accountFrame();
  const enabled = await loginProviders();
  const providers = new Map(enabled.map((p) => [p.id, p.displayName]));
  const links =
    frame && (await myLinks(frame.runtime.provider, frame.runtime.account, frame.session, async (id) => providers.get(id) ?? null));
  const options = frame && (await myLinkOptions(frame.runtime.provider, frame.runtime.account, frame.session, enabled));
  if (!frame || !links || !options) return <AccountSignIn next="/account/links" search={search} />;
  // The link flow's refusals come back as a known code (lib/auth/external/errors.ts), never free text.
  const linkError = externalErrorMessage(typeof search.link_error === "string" ? search.link_error : undefined);
  const linkCsrf = await formToken(frame.runtime.provider, frame.csrfCookie, LINK_FORM_PURPOSE);
  return (
    <AccountPage frame={frame} current="/account/links" search={search}>
      {linkError ? <Alert tone="error">{linkError}</Alert> : null}
      <LinkList
        hideHeading
        links={links}
        csrf={frame.csrf}
        unlink={accountUnlink}
        options={options}
        linkAction={externalLinkUrl()}
        linkCsrf={linkCsrf}
      />
    </AccountPage>
  );
}
