"use client";

import { useActionState, useRef, startTransition } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { loginInput, type LoginInput } from "@/lib/schemas/interaction";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { LoginState } from "@/app/(interaction)/interaction/login/state";

/**
 * Validates in the browser with the same zod schema as the server action; without JavaScript
 * the form posts to the action as a plain HTML form.
 */
export function LoginForm({ action, interaction, csrf, loginHint }: {
  action: (state: LoginState, data: FormData) => Promise<LoginState>;
  interaction: string;
  csrf: string;
  loginHint: string;
}) {
  const [state, formAction, pending] = useActionState(action, { values: { login: loginHint } });
  const formRef = useRef<HTMLFormElement>(null);
  const form = useForm<LoginInput>({
    resolver: zodResolver(loginInput),
    defaultValues: { interaction, csrf, login: state.values?.login ?? loginHint, password: "" },
    mode: "onTouched",
  });
  const errors = { ...state.fieldErrors, ...Object.fromEntries(Object.entries(form.formState.errors).map(([k, v]) => [k, v?.message])) };

  return (
    <form
      ref={formRef}
      action={formAction}
      noValidate
      className="flex flex-col gap-5"
      onSubmit={(e) => {
        e.preventDefault();
        void form.handleSubmit(() => startTransition(() => formAction(new FormData(formRef.current!))))(e);
      }}
    >
      {state.formError ? <Alert>{state.formError}</Alert> : null}
      <input type="hidden" {...form.register("interaction")} />
      <input type="hidden" {...form.register("csrf")} />
      <Field id="login" label="Username or email" autoComplete="username" autoCapitalize="none" spellCheck={false} autoFocus={!loginHint} error={errors.login} {...form.register("login")} />
      <Field id="password" label="Password" type="password" autoComplete="current-password" autoFocus={Boolean(loginHint)} error={errors.password} {...form.register("password")} />
      <Button type="submit" disabled={pending}>{pending ? "Signing in…" : "Sign in"}</Button>
    </form>
  );
}
