import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

/** Change the password (current + new + confirm), or set a first one; a plain form either way. */
export function PasswordForm({
  hasPassword,
  csrf,
  action,
  errors,
  minLength = 12,
}: {
  minLength?: number;
  hasPassword: boolean;
  csrf: string;
  action: (data: FormData) => Promise<void>;
  errors: Record<string, string>;
}) {
  return (
    <section aria-labelledby="password-heading" className="mt-6">
      <h2 id="password-heading" className="text-base font-semibold">
        {hasPassword ? "Change your password" : "Set a password"}
      </h2>
      <p className="mt-1 text-sm text-slate-500">
        {hasPassword
          ? "Your other sessions are signed out when the password changes."
          : "You sign in through another provider today. A password lets you sign in here directly too."}
      </p>
      <form action={action} noValidate className="mt-4 flex max-w-md flex-col gap-4">
        <input type="hidden" name="csrf" value={csrf} />
        {hasPassword ? (
          <Field
            id="current"
            name="current"
            type="password"
            label="Current password"
            autoComplete="current-password"
            error={errors.current}
          />
        ) : null}
        <Field id="password" name="password" type="password" label="New password" autoComplete="new-password" error={errors.password} />
        <Field
          id="confirm"
          name="confirm"
          type="password"
          label="Repeat the new password"
          autoComplete="new-password"
          error={errors.confirm}
        />
        <p className="text-xs text-slate-500">At least {minLength} characters; not a common password, and not your username or email.</p>
        <div>
          <Button type="submit">{hasPassword ? "Change password" : "Set password"}</Button>
        </div>
      </form>
    </section>
  );
}
