import type { Metadata } from "next";
import { PageHeader, Table } from "@/components/admin/table";
import { CommandForm } from "@/components/admin/command-form";
import { ConfirmSubmit } from "@/components/admin/confirm-submit";
import { InitialAccessTokenForm } from "@/components/admin/initial-access-token-form";
import { adminFormToken, requireAdmin } from "@/lib/next/admin-session";
import { getRuntime } from "@/lib/runtime";
import { issueInitialAccessToken, revokeInitialAccessToken } from "./actions";

export const metadata: Metadata = { title: "Client registration" };
const when = (d: string | null) => (d ? d.slice(0, 16).replace("T", " ") : "");

const MODES = {
  off: "Off: the registration endpoint is not served.",
  token: "Clients register at /connect/register with an initial access token issued here.",
  open: "Open: anyone may register a client at /connect/register, without a token.",
} as const;

export default async function RegistrationPage() {
  const { principal } = await requireAdmin("/admin/registration");
  const { admin, provider } = await getRuntime();
  const [settings, tokens] = await Promise.all([admin.registration.settings(principal), admin.registration.list(principal)]);
  const csrf = await adminFormToken();
  const now = provider.now();
  const state = (t: (typeof tokens)[number]) =>
    t.revoked_at
      ? "revoked"
      : t.expires_at && Date.parse(t.expires_at) <= now
        ? "expired"
        : t.max_uses !== null && t.uses >= t.max_uses
          ? "used up"
          : "active";
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Client registration" />
      <section aria-labelledby="policy" className="rounded-xl border border-slate-200 bg-white p-6 text-sm shadow-sm">
        <h2 id="policy" className="mb-2 text-lg font-semibold">
          Policy
        </h2>
        <p>{MODES[settings.mode]}</p>
        <p className="mt-2 text-slate-600">
          Registered clients may use the grant types <span className="font-mono">{settings.allowedGrantTypes.join(", ")}</span> and the
          scopes <span className="font-mono">{settings.allowedScopes.join(" ")}</span>, and get the default settings (consent required). Set
          PORTCULLIS_REGISTRATION, PORTCULLIS_REGISTRATION_GRANT_TYPES and PORTCULLIS_REGISTRATION_SCOPES to change this.
        </p>
      </section>
      <section aria-labelledby="issue" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <h2 id="issue" className="mb-4 text-lg font-semibold">
          Issue an initial access token
        </h2>
        <InitialAccessTokenForm csrf={csrf} issue={issueInitialAccessToken} />
      </section>
      <Table
        caption="Initial access tokens"
        head={["Description", "Created", "By", "Expires", "Uses", "State", ""]}
        empty={tokens.length === 0}
      >
        {tokens.map((t) => (
          <tr key={t.id}>
            <td className="px-4 py-2">{t.description ?? ""}</td>
            <td className="px-4 py-2">{when(t.created_at)}</td>
            <td className="px-4 py-2">{t.created_by ?? ""}</td>
            <td className="px-4 py-2">{when(t.expires_at) || "never"}</td>
            <td className="px-4 py-2">
              {t.uses}
              {t.max_uses !== null ? ` of ${t.max_uses}` : ""}
            </td>
            <td className="px-4 py-2">{state(t)}</td>
            <td className="px-4 py-2">
              {t.revoked_at ? null : (
                <CommandForm action={revokeInitialAccessToken} csrf={csrf} fields={{ id: t.id }}>
                  <ConfirmSubmit label="Revoke" question="Revoke this token? Clients it registered stay." />
                </CommandForm>
              )}
            </td>
          </tr>
        ))}
      </Table>
    </div>
  );
}
