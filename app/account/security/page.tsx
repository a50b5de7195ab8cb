import type { Metadata } from "next";
import { PasswordForm } from "@/components/account/password-form";
import { ActivityList } from "@/components/account/activity";
import { myActivity, myPasswordState } from "@/lib/account/service";
import { loginProviders } from "@/lib/auth/external";
import { accountChangePassword, accountSetPassword } from "../actions";
import { TwoStepPanel } from "@/components/account/two-step";
import { myTwoStep } from "@/lib/account/two-step";
import { accountConfirmTotp, accountRegenerateCodes, accountRemoveTotp, accountStartTotp } from "./two-step-actions";
import { AccountPage, AccountSignIn, accountFrame, fieldErrorsOf, type AccountSearch } from "../frame";
import { PasskeysSection } from "./passkeys-section";

export const metadata: Metadata = { title: "Security · Your account" };
export const dynamic = "force-dynamic";

export default async function SecurityPage({ searchParams }: { searchParams: Promise<AccountSearch> }) {
  const search = await searchParams;
  const frame = await accountFrame();
  const state = frame && (await myPasswordState(frame.runtime.provider, frame.runtime.account, frame.session));
  if (!frame || !state) return <AccountSignIn next="/account/security" search={search} />;
  const twoStep = await myTwoStep(frame.runtime.provider, frame.runtime.factors, frame.session);
  const providers = new Map((await loginProviders()).map((p) => [p.id, p.displayName]));
  const events =
    (await myActivity(frame.runtime.provider, frame.runtime.account, frame.session, {
      limit: 20,
      providerName: async (id) => providers.get(id) ?? null,
    })) ?? [];
  return (
    <AccountPage frame={frame} current="/account/security" search={search}>
      <PasswordForm
        hasPassword={state.hasPassword}
        csrf={frame.csrf}
        action={state.hasPassword ? accountChangePassword : accountSetPassword}
        errors={fieldErrorsOf(search)}
        minLength={(await frame.runtime.settings.get()).password.minLength}
      />
      {twoStep ? (
        <TwoStepPanel
          state={twoStep}
          csrf={frame.csrf}
          actions={{ start: accountStartTotp, confirm: accountConfirmTotp, regenerate: accountRegenerateCodes, remove: accountRemoveTotp }}
        />
      ) : null}
      <PasskeysSection frame={frame} />
      <ActivityList events={events} />
    </AccountPage>
  );
}
