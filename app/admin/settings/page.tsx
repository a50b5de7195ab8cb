import type { Metadata } from "next";
import { PageHeader } from "@/components/admin/table";
import { SettingsForm } from "@/components/admin/settings-form";
import { adminFormToken, requireAdmin } from "@/lib/next/admin-session";
import { CLAIM_LABELS } from "@/lib/schemas/account";
import { SIGN_UP_CLAIMS } from "@/lib/settings/schema";
import { getRuntime } from "@/lib/runtime";
import { saveSettings } from "./actions";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const { principal } = await requireAdmin("/admin/settings");
  const { settings } = await getRuntime();
  const current = await settings.read(principal);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Settings" />
      <SettingsForm
        settings={current}
        claims={SIGN_UP_CLAIMS.map((claim) => ({ claim, label: CLAIM_LABELS[claim] }))}
        csrf={await adminFormToken()}
        action={saveSettings}
      />
    </div>
  );
}
