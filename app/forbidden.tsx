import Link from "next/link";
import { AuthShell } from "@/components/ui/auth-shell";

export default function Forbidden() {
  return (
    <AuthShell title="Access denied" subtitle="This area is for Portcullis administrators.">
      <Link href="/account" className="text-sm font-medium text-indigo-700 underline">
        Your account
      </Link>
    </AuthShell>
  );
}
