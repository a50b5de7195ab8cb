import { getPortalInfo } from "@/lib/portal";
import { Card } from "@/components/ui/card";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const info = await getPortalInfo();
  return (
    <main className="mx-auto flex max-w-3xl flex-col gap-8 px-4 py-12 sm:px-6 sm:py-20">
      <header className="flex flex-col gap-3">
        <p className="text-sm font-semibold tracking-wide text-indigo-600 uppercase">Portcullis</p>
        <h1 className="text-3xl font-bold tracking-tight sm:text-4xl">Identity provider</h1>
        <p className="text-lg text-slate-600">
          This server issues security tokens with OpenID Connect and OAuth 2.0. Applications connect to it through the standard endpoints
          below; any certified OpenID Connect or OAuth library works unmodified.
        </p>
        <p>
          <a
            href="/account"
            className="inline-flex rounded-lg bg-indigo-600 px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-indigo-700"
          >
            Your account
          </a>
        </p>
      </header>
      <Card title="For developers">
        <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-[max-content_1fr]">
          <dt className="font-medium text-slate-500">Issuer</dt>
          <dd className="font-mono break-all" data-testid="issuer">
            {info.issuer}
          </dd>
          <dt className="font-medium text-slate-500">Discovery</dt>
          <dd className="break-all">
            <a className="font-mono text-indigo-700 underline hover:text-indigo-900" href={info.discoveryUrl}>
              {info.discoveryUrl}
            </a>
          </dd>
          <dt className="font-medium text-slate-500">Grant types</dt>
          <dd className="font-mono">{info.grantTypes.join(", ")}</dd>
          <dt className="font-medium text-slate-500">API scopes</dt>
          <dd className="font-mono">{info.scopes.length ? info.scopes.join(", ") : "none yet"}</dd>
        </dl>
      </Card>
    </main>
  );
}
