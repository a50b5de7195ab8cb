import type { Metadata } from "next";
import Link from "next/link";
import { AuthShell } from "@/components/ui/auth-shell";

export const metadata: Metadata = { title: "Signed out" };

export default function SignedOutPage() {
  return (
    <AuthShell
      title="You are signed out"
      subtitle="Your Portcullis session has ended. Applications you used may keep you signed in until you sign out of them too."
    >
      <Link href="/" className="text-sm font-medium text-indigo-700 underline">
        Portcullis home
      </Link>
    </AuthShell>
  );
}
