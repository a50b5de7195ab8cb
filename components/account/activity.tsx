import type { ActivityView } from "@/lib/account/service";

const when = (d: Date) => d.toISOString().replace("T", " ").slice(0, 16) + " UTC";
const WARN = new Set(["login_failed", "sign_in_throttled", "admin.user_locked", "admin.user_password_set"]);

/** The user's recent security events, newest first. */
export function ActivityList({ events }: { events: ActivityView[] }) {
  return (
    <section aria-labelledby="activity-heading" className="mt-10">
      <h2 id="activity-heading" className="text-base font-semibold">
        Recent security activity
      </h2>
      <p className="mt-1 text-sm text-slate-500">Something you do not recognise? Change your password and sign out your other sessions.</p>
      {events.length === 0 ? (
        <p className="mt-3 text-sm text-slate-500">Nothing yet.</p>
      ) : (
        <ol className="mt-3 divide-y divide-slate-200 rounded-lg border border-slate-200" data-testid="activity">
          {events.map((e) => (
            <li key={e.id} className="flex flex-col gap-1 p-3 text-sm sm:flex-row sm:items-baseline sm:justify-between" data-testid="event">
              <p className={`font-medium ${WARN.has(e.type) ? "text-red-700" : ""}`}>
                {e.label}
                {e.detail ? <span className="font-normal text-slate-600"> · {e.detail}</span> : null}
              </p>
              <p className="break-words text-slate-500 sm:text-right">
                {[e.device, e.ipAddress]
                  .filter(Boolean)
                  .map((x) => `${x} · `)
                  .join("")}
                <span className="whitespace-nowrap">{when(e.at)}</span>
              </p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
