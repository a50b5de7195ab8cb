import { Button } from "@/components/ui/button";
import { ProviderIcon } from "@/components/interaction/external-buttons";
import type { LinkOption, LinkView } from "@/lib/account/service";

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The user's external logins, each with a plain form to unlink it, and a "Link" form for every
 * enabled provider not linked yet (one link per provider). No JavaScript needed: the link forms
 * post to the handshake's own route, which sends the browser to the provider.
 */
export function LinkList({
  links,
  csrf,
  unlink,
  options,
  linkAction,
  linkCsrf,
  hideHeading = false,
}: {
  links: LinkView[];
  csrf: string;
  unlink: (data: FormData) => Promise<void>;
  /** the providers that can still be linked */
  options: LinkOption[];
  /** where a link form posts (the handshake's link route) */
  linkAction: string;
  linkCsrf: string;
  /** the page's own title already names the section */
  hideHeading?: boolean;
}) {
  return (
    <section aria-labelledby="links-heading" className={hideHeading ? "mt-6" : "mt-8"}>
      <h2 id="links-heading" className={hideHeading ? "sr-only" : "text-base font-semibold"}>
        Linked logins
      </h2>
      {links.length === 0 ? (
        <p className="mt-2 text-sm text-slate-500">No external logins are linked to your account.</p>
      ) : (
        <ul className="mt-3 divide-y divide-slate-200 rounded-lg border border-slate-200" data-testid="links">
          {links.map((l) => (
            <li key={l.id} className="flex flex-col gap-3 p-3 text-sm sm:flex-row sm:items-center sm:justify-between" data-testid="link">
              <div className="min-w-0">
                <p className="font-medium">{l.providerName}</p>
                <p className="break-words text-slate-500">
                  {[l.displayName, l.email].filter(Boolean).join(" · ") || "upstream account"} · linked {day(l.createdAt)}
                  {l.lastUsedAt ? ` · last used ${day(l.lastUsedAt)}` : ""}
                </p>
              </div>
              <form action={unlink}>
                <input type="hidden" name="csrf" value={csrf} />
                <input type="hidden" name="link" value={l.id} />
                <Button type="submit" variant="secondary">
                  Unlink
                </Button>
              </form>
            </li>
          ))}
        </ul>
      )}
      {options.length > 0 ? (
        <div className="mt-4" data-testid="link-options">
          <p className="text-sm text-slate-600">
            Link another login to sign in with it too. You can link one login per provider; you will sign in there first.
          </p>
          <ul className="mt-3 flex flex-col gap-2 sm:flex-row sm:flex-wrap">
            {options.map((o) => (
              <li key={o.id}>
                <form method="post" action={linkAction}>
                  <input type="hidden" name="csrf" value={linkCsrf} />
                  <input type="hidden" name="provider" value={o.id} />
                  <Button type="submit" variant="secondary" className="gap-2">
                    <ProviderIcon icon={o.icon} />
                    <span>Link {o.displayName}</span>
                  </Button>
                </form>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
