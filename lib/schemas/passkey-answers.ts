/** What the passkey server actions answer the browser (shared by lib/next and the components). */
export type PasskeyAnswer<T = object> = ({ ok: true } & T) | { ok: false; message: string; reauth?: boolean };
