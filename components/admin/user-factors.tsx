import type { ReactNode } from "react";
import { Table } from "@/components/admin/table";
import type { UserFactorsView } from "@/lib/admin/factors";

const when = (iso: string | null) => (iso ? iso.replace("T", " ").slice(0, 16) + " UTC" : "never");

/** The user page's "Sign-in factors" panel; `reset` is the page's confirm-and-submit command. */
export function UserFactorsPanel({ factors, reset }: { factors: UserFactorsView; reset: ReactNode }) {
  const any = factors.totp.enabled || factors.recovery_codes_left > 0 || factors.passkeys.length > 0;
  return (
    <section aria-labelledby="factors" className="flex flex-col gap-3">
      <div className="flex items-center justify-between gap-3">
        <h2 id="factors" className="text-lg font-semibold">
          Sign-in factors
        </h2>
        {any ? reset : null}
      </div>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-2 rounded-xl border border-slate-200 bg-white p-6 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="text-slate-500">Authenticator app</dt>
        <dd data-testid="factor-totp">{factors.totp.enabled ? `yes (last used ${when(factors.totp.last_used_at)})` : "no"}</dd>
        <dt className="text-slate-500">Recovery codes left</dt>
        <dd data-testid="factor-recovery">{factors.recovery_codes_left}</dd>
      </dl>
      <Table caption="Passkeys" head={["Name", "Added", "Last used"]} empty={factors.passkeys.length === 0}>
        {factors.passkeys.map((p) => (
          <tr key={p.id}>
            <td className="px-4 py-2">{p.name}</td>
            <td className="px-4 py-2">{when(p.created_at)}</td>
            <td className="px-4 py-2">{when(p.last_used_at)}</td>
          </tr>
        ))}
      </Table>
    </section>
  );
}
