/** The account lifecycle's pages. */
export const LifecyclePages = {
  signUp: "/interaction/signup",
  forgot: "/interaction/forgot",
  verifyEmail: "/verify-email",
  resetPassword: "/reset-password",
} as const;

/** A page's absolute URL with its query (mail links must be absolute). */
export function pageUrl(issuer: string, path: string, query: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined));
  const s = q.toString();
  return `${issuer}${path}${s ? `?${s}` : ""}`;
}
