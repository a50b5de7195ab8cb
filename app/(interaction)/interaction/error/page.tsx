import type { Metadata } from "next";
import Link from "next/link";
import { AuthShell } from "@/components/ui/auth-shell";
import { Alert } from "@/components/ui/alert";

export const metadata: Metadata = { title: "Something went wrong" };

export default async function ErrorPage({ searchParams }: { searchParams: Promise<{ error?: string; error_description?: string }> }) {
  const { error, error_description } = await searchParams;
  return (
    <AuthShell title="Something went wrong" subtitle="The application sent a request Portcullis cannot accept.">
      <div className="flex flex-col gap-4">
        <Alert>
          <p className="font-mono text-xs" data-testid="error-code">{(error ?? "invalid_request").slice(0, 100)}</p>
          <p className="mt-1" data-testid="error-description">{(error_description ?? "The request could not be processed.").slice(0, 300)}</p>
        </Alert>
        <p className="text-sm text-slate-600">Go back to the application and try again. If this keeps happening, tell its developers what you see here.</p>
        <Link href="/" className="text-sm font-medium text-indigo-700 underline">Portcullis home</Link>
      </div>
    </AuthShell>
  );
}
