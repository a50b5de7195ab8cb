import { Button } from "@/components/ui/button";
import type { AppView } from "@/lib/account/service";

const day = (d: Date) => d.toISOString().slice(0, 10);

/** The apps the user granted, each with a plain form to revoke it (no JavaScript needed). */
export function AppList({
  apps,
  csrf,
  revoke,
  hideHeading = false,
}: {
  apps: AppView[];
  csrf: string;
  revoke: (data: FormData) => Promise<void>;
  /** the page's own title already names the section */
  hideHeading?: boolean;
}) {
  return (
    <section aria-labelledby="apps-heading" className={hideHeading ? "mt-6" : "mt-8"}>
      <h2 id="apps-heading" className={hideHeading ? "sr-only" : "text-base font-semibold"}>
        Connected apps
      </h2>
      {apps.length === 0 ? (
        <p className="mt-2 text-sm text-slate-500">You have not granted any app access.</p>
      ) : (
        <ul className="mt-3 divide-y divide-slate-200 rounded-lg border border-slate-200" data-testid="apps">
          {apps.map((a) => (
            <li
              key={a.clientId}
              className="flex flex-col gap-3 p-3 text-sm sm:flex-row sm:items-center sm:justify-between"
              data-testid="app"
            >
              <div className="flex min-w-0 items-center gap-3">
                {a.logoUri ? (
                  <img src={a.logoUri} alt="" width={32} height={32} className="size-8 shrink-0 rounded" referrerPolicy="no-referrer" />
                ) : (
                  <span
                    aria-hidden
                    className="flex size-8 shrink-0 items-center justify-center rounded bg-slate-100 font-semibold text-slate-500"
                  >
                    {a.name.slice(0, 1).toUpperCase()}
                  </span>
                )}
                <div className="min-w-0">
                  <p className="font-medium">{a.name}</p>
                  <p className="break-words text-slate-500">
                    {a.scopes.join(", ") || "no scopes"} · granted {day(a.grantedAt)}
                  </p>
                </div>
              </div>
              <form action={revoke}>
                <input type="hidden" name="csrf" value={csrf} />
                <input type="hidden" name="client" value={a.clientId} />
                <Button type="submit" variant="secondary">
                  Revoke access
                </Button>
              </form>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
