import { Button } from "@/components/ui/button";
import type { SessionView } from "@/lib/account/service";

const when = (d: Date) => d.toISOString().replace("T", " ").slice(0, 16) + " UTC";

/** The user's sessions, each with a plain form to end it (no JavaScript needed). */
export function SessionList({
  sessions,
  csrf,
  endSession,
  endOthers,
  hideHeading = false,
}: {
  sessions: SessionView[];
  /** the page's own title already names the section */
  hideHeading?: boolean;
  csrf: string;
  endSession: (data: FormData) => Promise<void>;
  endOthers: (data: FormData) => Promise<void>;
}) {
  const others = sessions.some((s) => !s.current);
  return (
    <section aria-labelledby="sessions-heading" className={hideHeading ? "mt-6" : "mt-8"}>
      <h2 id="sessions-heading" className={hideHeading ? "sr-only" : "text-base font-semibold"}>
        Sessions
      </h2>
      <ul className="mt-3 divide-y divide-slate-200 rounded-lg border border-slate-200" data-testid="sessions">
        {sessions.map((s) => (
          <li key={s.id} className="flex flex-col gap-3 p-3 text-sm sm:flex-row sm:items-center sm:justify-between" data-testid="session">
            <div className="min-w-0">
              <p className="font-medium">
                {s.browser} on {s.os}
                {s.current ? <span className="ml-2 rounded bg-indigo-50 px-1.5 py-0.5 text-xs text-indigo-700">this device</span> : null}
              </p>
              <p className="break-words text-slate-500">
                {s.ipAddress ?? "unknown address"} · started {when(s.authTime)} · last active {when(s.lastSeenAt)}
              </p>
            </div>
            {s.current ? null : (
              <form action={endSession}>
                <input type="hidden" name="csrf" value={csrf} />
                <input type="hidden" name="session" value={s.id} />
                <Button type="submit" variant="secondary">
                  End session
                </Button>
              </form>
            )}
          </li>
        ))}
      </ul>
      {others ? (
        <form action={endOthers} className="mt-3 flex justify-end">
          <input type="hidden" name="csrf" value={csrf} />
          <Button type="submit" variant="danger">
            End all other sessions
          </Button>
        </form>
      ) : null}
    </section>
  );
}
