import type { Metadata } from "next";
import { PageHeader, Table } from "@/components/admin/table";
import { CommandForm } from "@/components/admin/command-form";
import { ConfirmSubmit } from "@/components/admin/confirm-submit";
import { adminFormToken, requireAdmin } from "@/lib/next/admin-session";
import { getRuntime } from "@/lib/runtime";
import { rotateKeys } from "./actions";

export const metadata: Metadata = { title: "Signing keys" };
const when = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace("T", " ") : "");

export default async function KeysPage() {
  const { principal } = await requireAdmin("/admin/keys");
  const { admin } = await getRuntime();
  const keys = await admin.keys.list(principal);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Signing keys"
        action={
          <CommandForm action={rotateKeys} csrf={await adminFormToken()}>
            <ConfirmSubmit label="Rotate now" question="Start a key rotation?" />
          </CommandForm>
        }
      />
      <p className="text-sm text-slate-600">
        A rotation publishes the next keys at once; they sign after the activation delay. Retired keys stay published until their tokens
        have expired.
      </p>
      <Table caption="Signing keys" head={["Algorithm", "Generation", "Key ID", "State", "Signs from", "Leaves JWKS"]}>
        {keys.map((k) => (
          <tr key={k.kid}>
            <td className="px-4 py-2">{k.alg}</td>
            <td className="px-4 py-2">{k.generation}</td>
            <td className="px-4 py-2 font-mono">{k.kid}</td>
            <td className="px-4 py-2">{k.state}</td>
            <td className="px-4 py-2">{when(k.activatesAt)}</td>
            <td className="px-4 py-2">{when(k.removedAt)}</td>
          </tr>
        ))}
      </Table>
    </div>
  );
}
