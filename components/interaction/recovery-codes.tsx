/** The recovery codes, shown once after they were made. */
export function RecoveryCodes({ codes }: { codes: string[] }) {
  return (
    <section aria-labelledby="recovery-codes-heading" className="rounded-lg border border-amber-200 bg-amber-50 p-4">
      <h3 id="recovery-codes-heading" className="text-sm font-semibold text-amber-900">
        Your recovery codes
      </h3>
      <p className="mt-1 text-sm text-amber-900">
        Save these codes somewhere safe. Each works once, when you cannot use your authenticator app. They are shown only now.
      </p>
      <ul aria-label="Recovery codes" className="mt-3 grid grid-cols-2 gap-2 font-mono text-sm text-slate-900">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
    </section>
  );
}
