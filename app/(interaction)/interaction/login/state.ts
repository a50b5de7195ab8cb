export interface LoginState {
  formError?: string;
  fieldErrors?: Partial<Record<"login" | "password", string>>;
  values?: { login?: string };
}
