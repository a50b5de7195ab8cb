import { LifecyclePages } from "@/lib/lifecycle/paths";

/** The sign-in page's ways on: a new confirmation link, a forgotten password, a new account. */
export function LifecycleLinks({ interaction, signUp, unverified }: { interaction?: string; signUp: boolean; unverified: boolean }) {
  const q = interaction ? `?${new URLSearchParams({ interaction })}` : "";
  const link = "font-medium text-indigo-700 hover:underline";
  return (
    <div className="mt-4 flex flex-col items-center gap-2 text-sm">
      {unverified ? (
        <a
          href={`${LifecyclePages.verifyEmail}?${new URLSearchParams({ resend: "1", ...(interaction ? { interaction } : {}) })}`}
          className={link}
        >
          Send the confirmation link again
        </a>
      ) : null}
      <a href={`${LifecyclePages.forgot}${q}`} className={link}>
        Forgot password?
      </a>
      {signUp ? (
        <p className="text-slate-600">
          New here?{" "}
          <a href={`${LifecyclePages.signUp}${q}`} className={link}>
            Create an account
          </a>
        </p>
      ) : null}
    </div>
  );
}
