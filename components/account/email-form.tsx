import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

/** A new email address: confirmed through a link to it before it replaces the current one. */
export function EmailForm({
  csrf,
  action,
  pending,
  error,
}: {
  csrf: string;
  action: (data: FormData) => Promise<void>;
  pending: string | null;
  error?: string;
}) {
  return (
    <section aria-labelledby="email-heading" className="mt-10">
      <h2 id="email-heading" className="text-base font-semibold">
        Change your email
      </h2>
      <p className="mt-1 text-sm text-slate-500">
        We send a link to the new address; it replaces the current one once you open the link.
        {pending ? (
          <>
            {" "}
            Waiting for confirmation: <strong className="font-medium text-slate-800">{pending}</strong>.
          </>
        ) : null}
      </p>
      <form action={action} noValidate className="mt-4 flex max-w-md flex-col gap-4" aria-label="Email">
        <input type="hidden" name="csrf" value={csrf} />
        <Field id="new-email" name="email" type="email" label="New email address" autoComplete="email" maxLength={254} error={error} />
        <div>
          <Button type="submit">Send the confirmation link</Button>
        </div>
      </form>
    </section>
  );
}
