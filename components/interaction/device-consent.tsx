import type { ScopeView } from "@/lib/oidc";
import { Button } from "@/components/ui/button";
import { ScopeList } from "./scope-list";

/** The device verification page's decision form: the scopes as the consent page shows them, approve or deny. */
export function DeviceConsent({
  action,
  userCode,
  csrf,
  scopes,
  clientName,
}: {
  action: (data: FormData) => Promise<void>;
  userCode: string;
  csrf: string;
  scopes: ScopeView[];
  clientName: string;
}) {
  return (
    <form action={action} className="flex flex-col gap-5">
      <input type="hidden" name="user_code" value={userCode} />
      <input type="hidden" name="csrf" value={csrf} />
      <ScopeList legend={`What ${clientName} may use`} scopes={scopes} />
      <div className="flex flex-col-reverse gap-3 sm:flex-row sm:justify-end">
        <Button type="submit" name="decision" value="deny" variant="secondary">
          Deny
        </Button>
        <Button type="submit" name="decision" value="allow">
          Approve
        </Button>
      </div>
    </form>
  );
}
