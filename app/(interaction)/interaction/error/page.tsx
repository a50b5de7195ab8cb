import type { Metadata } from "next";
import Link from "next/link";
import { AuthShell } from "@/components/ui/auth-shell";
import { Alert } from "@/components/ui/alert";
import { readErrorPage } from "@/lib/oidc";
import { getRuntime } from "@/lib/runtime";

export const metadata: Metadata = { title: "Something went wrong" };

type Params = { error?: string | string[]; error_description?: string | string[]; sig?: string | string[] };
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);

/** Shows fixed words per known error code; the description only when our signature vouches for it. */
export default async function ErrorPage({ searchParams }: { searchParams: Promise<Params> }) {
  const q = await searchParams;
  const { provider } = await getRuntime();
  const view = await readErrorPage(provider, { error: one(q.error), error_description: one(q.error_description), sig: one(q.sig) });
  return (
    <AuthShell title="Something went wrong" subtitle="The application sent a request Portcullis cannot accept.">
      <div className="flex flex-col gap-4">
        <Alert>
          <p data-testid="error-text">{view.text}</p>
          {view.code && (
            <p className="mt-1 font-mono text-xs" data-testid="error-code">
              {view.code}
            </p>
          )}
          {view.description && (
            <p className="mt-1 text-xs" data-testid="error-description">
              Details for the application&apos;s developers: {view.description}
            </p>
          )}
        </Alert>
        <p className="text-sm text-slate-600">
          Go back to the application and try again. If this keeps happening, tell its developers what you see here.
        </p>
        <Link href="/" className="text-sm font-medium text-indigo-700 underline">
          Portcullis home
        </Link>
      </div>
    </AuthShell>
  );
}
