import type { Metadata } from "next";
import type { ReactNode } from "react";
import { PageHeader, Table, smallButton } from "@/components/admin/table";
import { adminFormToken, orNotFound, pathParam, requireAdmin } from "@/lib/next/admin-session";
import { getRuntime } from "@/lib/runtime";
import {
  deleteUser,
  lockUser,
  revokeConsent,
  revokeUserSession,
  revokeUserSessions,
  setUserPassword,
  unlinkExternalLogin,
  unlockUser,
  updateUser,
  resetUserFactors,
} from "../actions";
import { UserFactorsPanel } from "@/components/admin/user-factors";
import { CommandForm, type Command } from "@/components/admin/command-form";
import { ConfirmSubmit } from "@/components/admin/confirm-submit";
import { DeleteEntity } from "@/components/admin/delete-entity";
import { PasswordForm, UserForm } from "@/components/admin/resource-forms";
import { userToForm } from "@/lib/schemas/admin-forms";

export const metadata: Metadata = { title: "User" };

export default async function UserPage({ params }: { params: Promise<{ username: string }> }) {
  const { username } = await params;
  const { principal } = await requireAdmin(`/admin/users/${username}`);
  const { admin } = await getRuntime();
  const user = await orNotFound(admin.directory.users.get(principal, pathParam(username)));
  // A link outlives its provider: say so beside it.
  const providers = new Map((await admin.identityProviders.list(principal)).items.map((p) => [p.id, p]));
  const providerState = (id: string) => {
    const p = providers.get(id);
    return !p ? "provider deleted" : p.enabled ? null : "provider disabled";
  };
  const factors = await admin.factors.get(principal, user.username);
  const csrf = await adminFormToken();
  const command = (action: Command, children: ReactNode, fields: Record<string, string> = {}) => (
    <CommandForm action={action} csrf={csrf} fields={{ username: user.username, ...fields }}>
      {children}
    </CommandForm>
  );
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title={user.username}
        action={
          <div className="flex flex-wrap gap-2">
            <DeleteEntity id={user.username} csrf={csrf} remove={deleteUser} what="user" />
            {user.locked
              ? command(
                  unlockUser,
                  <button type="submit" className={smallButton}>
                    Unlock
                  </button>,
                )
              : command(lockUser, <ConfirmSubmit label="Lock" question="Lock this user and end their sessions?" />)}
          </div>
        }
      />
      <dl className="grid grid-cols-1 gap-x-6 gap-y-2 rounded-xl border border-slate-200 bg-white p-6 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="text-slate-500">Email</dt>
        <dd>
          {user.email ?? "none"} {user.email_verified ? "(verified)" : ""}
        </dd>
        <dt className="text-slate-500">Name</dt>
        <dd>{String(user.claims.name ?? "")}</dd>
        <dt className="text-slate-500">Roles</dt>
        <dd>{user.roles.join(", ") || "none"}</dd>
        <dt className="text-slate-500">Status</dt>
        <dd data-testid="user-status">{user.locked ? "locked" : "active"}</dd>
      </dl>
      <section aria-labelledby="profile" className="rounded-xl border border-slate-200 bg-white p-6">
        <h2 id="profile" className="mb-3 text-lg font-semibold">
          Profile and roles
        </h2>
        <UserForm csrf={csrf} submit={updateUser.bind(null, user.username)} defaults={userToForm(user)} />
      </section>
      <section aria-labelledby="password" className="rounded-xl border border-slate-200 bg-white p-6">
        <h2 id="password" className="mb-3 text-lg font-semibold">
          Set password
        </h2>
        <PasswordForm csrf={csrf} submit={setUserPassword.bind(null, user.username)} />
      </section>
      <section aria-labelledby="sessions" className="flex flex-col gap-3">
        <div className="flex items-center justify-between">
          <h2 id="sessions" className="text-lg font-semibold">
            Sessions
          </h2>
          {command(revokeUserSessions, <ConfirmSubmit label="Revoke all sessions" question="Sign this user out everywhere?" />)}
        </div>
        <Table caption="Active sessions" head={["Signed in", "Applications", "Address", ""]} empty={user.sessions.length === 0}>
          {user.sessions.map((s) => (
            <tr key={s.id}>
              <td className="px-4 py-2">{s.auth_time.slice(0, 16).replace("T", " ")}</td>
              <td className="px-4 py-2">{s.clients.join(", ")}</td>
              <td className="px-4 py-2">{s.ip_address ?? ""}</td>
              <td className="px-4 py-2">
                {command(revokeUserSession, <ConfirmSubmit label="Revoke" question="End this session?" />, { session: s.id })}
              </td>
            </tr>
          ))}
        </Table>
      </section>
      <section aria-labelledby="consents" className="flex flex-col gap-3">
        <h2 id="consents" className="text-lg font-semibold">
          Remembered consents
        </h2>
        <Table caption="Remembered consents" head={["Client", "Scopes", ""]} empty={user.consents.length === 0}>
          {user.consents.map((c) => (
            <tr key={c.client_id}>
              <td className="px-4 py-2 font-mono">{c.client_id}</td>
              <td className="px-4 py-2 font-mono">{c.scopes.join(" ")}</td>
              <td className="px-4 py-2">
                {command(revokeConsent, <ConfirmSubmit label="Revoke" question="Forget this consent?" />, { client: c.client_id })}
              </td>
            </tr>
          ))}
        </Table>
      </section>
      <UserFactorsPanel
        factors={factors}
        reset={command(
          resetUserFactors,
          <ConfirmSubmit label="Reset factors" question="Delete this user's authenticator app, recovery codes and passkeys?" />,
        )}
      />
      <section aria-labelledby="external" className="flex flex-col gap-3">
        <h2 id="external" className="text-lg font-semibold">
          External logins
        </h2>
        <Table caption="External logins" head={["Provider", "Account", ""]} empty={user.external_logins.length === 0}>
          {user.external_logins.map((l) => (
            <tr key={l.id}>
              <td className="px-4 py-2">
                {providers.get(l.provider)?.display_name ?? l.provider} <span className="font-mono text-slate-500">({l.provider})</span>
                {providerState(l.provider) ? (
                  <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-semibold text-amber-900">
                    {providerState(l.provider)}
                  </span>
                ) : null}
              </td>
              <td className="px-4 py-2 font-mono">{l.provider_account_id}</td>
              <td className="px-4 py-2">
                {command(unlinkExternalLogin, <ConfirmSubmit label="Unlink" question="Unlink this login?" />, { login: l.id })}
              </td>
            </tr>
          ))}
        </Table>
      </section>
    </div>
  );
}
