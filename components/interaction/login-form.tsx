"use client";

import { useRef, useTransition } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { loginInput, loginStartInput, type LoginInput } from "@/lib/schemas/interaction";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

/**
 * Validates in the browser with the same zod schema as the server action; without JavaScript
 * the form posts to the action as a plain HTML form. The action answers by redirecting, so both
 * paths end on a server-rendered page (with `error` when sign-in failed).
 */
export function LoginForm({
  action,
  interaction,
  csrf,
  login,
  error,
  next,
  notice,
  pendingLink,
  passwordOptional = false,
  webauthn = false,
}: {
  action: (data: FormData) => Promise<void>;
  interaction: string;
  csrf: string;
  login: string;
  error?: string;
  /** where the account page goes after signing in (a local path, checked by the action) */
  next?: string;
  /** shown above the fields (the account link's explanation) */
  notice?: string;
  /** the handle of an external sign-in waiting for this account's password */
  pendingLink?: string;
  /** home realm discovery: an email of a provider's domain needs no password here */
  passwordOptional?: boolean;
  /** a passkey sign-in is on the page: the browser may offer passkeys in the name field's autofill */
  webauthn?: boolean;
}) {
  const formRef = useRef<HTMLFormElement>(null);
  const [pending, startTransition] = useTransition();
  const form = useForm<LoginInput>({
    resolver: zodResolver(passwordOptional ? loginStartInput : loginInput),
    defaultValues: { interaction, csrf, login, password: "" },
    // Errors after a submit, not on blur: the name field has the focus, and leaving it for a
    // provider's button below must not put an error above that button, moving it under the
    // pointer between press and release (the click would be lost).
    mode: "onSubmit",
    reValidateMode: "onChange",
  });
  const errors = form.formState.errors;

  return (
    <form
      ref={formRef}
      action={action}
      noValidate
      className="flex flex-col gap-5"
      onSubmit={(e) => {
        e.preventDefault();
        void form.handleSubmit(() => startTransition(() => action(new FormData(formRef.current!))))(e);
      }}
    >
      {notice ? <Alert tone="info">{notice}</Alert> : null}
      {error ? <Alert>{error}</Alert> : null}
      <input type="hidden" name="interaction" value={interaction} />
      <input type="hidden" name="csrf" value={csrf} />
      {next ? <input type="hidden" name="next" value={next} /> : null}
      {pendingLink ? <input type="hidden" name="pending_link" value={pendingLink} /> : null}
      <Field
        id="login"
        label="Username or email"
        autoComplete={webauthn ? "username webauthn" : "username"}
        autoCapitalize="none"
        spellCheck={false}
        autoFocus={!login}
        readOnly={Boolean(pendingLink)}
        error={errors.login?.message}
        {...form.register("login")}
      />
      <Field
        id="password"
        label="Password"
        type="password"
        autoComplete="current-password"
        autoFocus={Boolean(login)}
        error={errors.password?.message}
        {...form.register("password")}
      />
      <Button type="submit" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
